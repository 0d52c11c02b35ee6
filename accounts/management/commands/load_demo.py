from django.core.management.base import BaseCommand

from accounts.demo import load_demo_people


class Command(BaseCommand):
    help = "Create the demo people of `make run` (idempotent) and print their logins."

    def handle(self, *args, **options):
        logins = load_demo_people()
        self.stdout.write("")
        self.stdout.write("Demo logins (development only):")
        for login in logins:
            self.stdout.write(f"  {login.role:<15} {login.email:<28} password: {login.password}")
            if login.totp_secret:
                self.stdout.write(
                    f"  {'':<15} second factor: TOTP secret {login.totp_secret} "
                    f"(current code: python manage.py totp_code {login.email}), "
                    f"or a recovery code: {', '.join(login.recovery_codes)}"
                )
