"""The watcher behind the `page` fixture: it must notice what it promises to notice."""

import pytest


def test_a_csp_violation_is_a_problem(new_watched_page):
    page, problems = new_watched_page()
    page.goto("/")
    assert problems.found == []

    with page.expect_console_message(lambda message: "CSP violation" in message.text):
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.injected = true";
              document.head.append(script);
            }"""
        )

    assert page.evaluate("() => window.injected") is None
    assert any("script-src" in problem for problem in problems.found), problems.report()


def test_an_uncaught_exception_is_a_problem(new_watched_page):
    page, problems = new_watched_page()
    page.goto("/")

    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('kaputt'); })")

    assert any("kaputt" in problem for problem in problems.found), problems.report()


def test_a_request_to_another_host_is_a_problem_and_never_leaves(new_watched_page):
    page, problems = new_watched_page()

    with page.expect_event("requestfailed"):
        page.set_content('<img src="http://192.0.2.1/pixel.png" alt="">')

    assert any("request outside 127.0.0.1" in p for p in problems.found), problems.report()


def test_a_missing_image_is_a_problem_but_a_form_page_with_status_422_is_not(new_watched_page):
    page, problems = new_watched_page()
    page.goto("/auth/login")
    with page.expect_response(lambda response: response.status == 422):
        page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert problems.found == []

    with page.expect_console_message(lambda message: "missing.png" in message.location["url"]):
        page.evaluate(
            """() => {
              const image = document.createElement("img");
              image.src = "/static/missing.png";
              image.alt = "";
              document.body.append(image);
            }"""
        )

    assert any("missing.png" in problem for problem in problems.found), problems.report()


def test_axe_check_fails_with_a_readable_report_on_an_unlabelled_field(new_watched_page, axe_check):
    page, _ = new_watched_page()
    page.goto("/")
    page.evaluate(
        """() => {
          const field = document.createElement("input");
          field.id = "unlabelled";
          document.querySelector("main").append(field);
        }"""
    )

    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(page)

    assert "label" in str(failure.value)
    assert "#unlabelled" in str(failure.value)
