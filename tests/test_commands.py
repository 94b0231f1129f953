import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_local_admin_is_created_once_and_login_is_printed(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "BASE_DIR", tmp_path)
    first, second = io.StringIO(), io.StringIO()
    call_command("ensure_local_admin", stdout=first)
    call_command("ensure_local_admin", stdout=second)
    assert User.objects.filter(username="admin", is_superuser=True).count() == 1
    assert "password:" in first.getvalue()
    assert first.getvalue() == second.getvalue()  # same password, not reset
    password = first.getvalue().rsplit("password:", 1)[1].strip()
    assert User.objects.get(username="admin").check_password(password)


def _settings_error(env):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ruiraq.settings'; django.setup()"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"DEBUG": "1", "DB_CONN_MAX_AGE": "soon"}, "DB_CONN_MAX_AGE must be an integer"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL is not a valid"),
    ],
)
def test_bad_configuration_stops_start_up_with_a_clear_message(env, message):
    result = _settings_error({"PATH": "/usr/bin:/bin", **env})
    assert result.returncode != 0
    assert message in result.stderr
