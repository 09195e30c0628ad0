from django.core.management.base import BaseCommand

from alerts.following import forget_expired_requests
from alerts.sending import send_due_digests
from corrections.notify import notify_due_readers


class Command(BaseCommand):
    help = (
        "Send followers the digest of what changed since their last one, retry corrections' resolution "
        "messages that failed, and delete follow requests never confirmed. Running it twice sends nothing twice."
    )

    def handle(self, *args, **options):
        digests = send_due_digests()
        notices = notify_due_readers()
        forgotten = forget_expired_requests()
        self.stdout.write(
            f"{digests} digest(s) sent, {notices} correction message(s) sent, "
            f"{forgotten} unconfirmed request(s) deleted."
        )
