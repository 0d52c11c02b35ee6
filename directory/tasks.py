"""Background work of the directory. Tasks take ids and call one service; running twice is safe."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from cpam_portal.background import enqueue
from directory import services


# Only a database that is briefly unreachable or locked is worth retrying; anything else is a
# bug and fails loudly (the import stays running, and the sweep gives it up after its attempts).
@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=4,
)
def run_directory_import_task(import_id: int) -> None:
    services.run_directory_import(import_id)


@shared_task
def sweep_directory_imports() -> None:
    """Enqueue again the imports whose message was lost or whose worker died (beat, every 60 s)."""
    for import_id in services.sweep_directory_imports(now=timezone.now()):
        enqueue(run_directory_import_task, import_id)
