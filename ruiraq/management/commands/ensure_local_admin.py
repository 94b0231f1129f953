import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser for local use (once) and print how to log in. The generated "
        "password is kept in .local-admin (git-ignored) so later runs can print it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, url, **options):
        secret_file = settings.BASE_DIR / ".local-admin"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = None
        if secret_file.exists():
            stored_user, _, stored_password = secret_file.read_text().strip().partition(":")
            if stored_user == username and user and user.check_password(stored_password):
                password = stored_password
        if user is None or password is None:
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User(username=username, email=f"{username}@localhost")
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
            secret_file.write_text(f"{username}:{password}\n")
            secret_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(f"Admin: {url}  user: {username}  password: {password}")
        )
