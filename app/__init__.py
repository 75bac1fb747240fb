"""Application factory: wiring only, no database or network work."""

from flask import Flask

from config import BASE_DIR, Config, config_from_env


def create_app(config: type[Config] | None = None) -> Flask:
    config = config or config_from_env()
    app = Flask(
        __name__,
        instance_path=str(config.INSTANCE_PATH),
        template_folder=str(BASE_DIR / "templates"),
    )
    app.config.from_object(config)
    config.finalise(app.config)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_commands(app)
    register_scheduler(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import db_setup, models  # noqa: F401  (engine settings; every model mapped)
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate
    from app.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)

    from app.auth import passwords
    from app.auth.access import configure_login_manager

    configure_login_manager(login_manager)
    passwords.configure(app.config["PASSWORD_HASH_PROFILE"])


def register_blueprints(app: Flask) -> None:
    from app.auth.account_views import bp as account_bp
    from app.auth.admin_views import bp as admin_bp
    from app.auth.views import bp as auth_bp
    from app.catalogues.views import bp as catalogues_bp
    from app.certificates.attendance_views import bp as attendance_bp
    from app.certificates.verify_views import bp as verify_bp
    from app.certificates.views import bp as certificates_bp
    from app.enrolments.manage_views import bp as enrolment_admin_bp
    from app.enrolments.views import bp as enrolments_bp
    from app.feedback.views import bp as feedback_bp
    from app.main.views import bp as main_bp
    from app.notifications.views import bp as outbox_bp
    from app.programs.public_views import bp as public_bp
    from app.programs.views import bp as programs_bp
    from app.reports.views import bp as reports_bp
    from app.sessions.views import bp as sessions_bp

    for blueprint in (
        main_bp,
        auth_bp,
        account_bp,
        admin_bp,
        public_bp,
        programs_bp,
        sessions_bp,
        enrolments_bp,
        enrolment_admin_bp,
        outbox_bp,
        catalogues_bp,
        attendance_bp,
        certificates_bp,
        verify_bp,
        reports_bp,
        feedback_bp,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from app.main.errors import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from app.i18n import register_template_helpers
    from app.security import register_security_headers
    from app.templating import register_template_filters

    register_security_headers(app)
    register_template_helpers(app)
    register_template_filters(app)


def register_commands(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.demo.cli import demo_cli
    from app.privacy.cli import privacy_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(privacy_cli)


def register_scheduler(app: Flask) -> None:
    from app.notifications.scheduler import register_scheduler as register

    register(app)
