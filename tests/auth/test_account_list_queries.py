from tests.factories import UserFactory


def test_account_list_needs_the_same_queries_for_many_accounts_as_for_few(
    client, login_as, count_queries
):
    login_as("admin")
    UserFactory.create_batch(3)
    with count_queries() as few:
        assert client.get("/admin/users").status_code == 200
    UserFactory.create_batch(30)
    with count_queries() as many:
        page = client.get("/admin/users")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("<tr>") >= 30
    assert len(many) == len(few)
