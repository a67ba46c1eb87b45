"""The Celery application. Without CELERY_BROKER_URL tasks run eagerly in the calling process.

Periodic jobs run from Celery beat: `make worker` starts a worker with beat embedded (-B); run
exactly one such process, or each would send the daily reminders (they are idempotent anyway).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zipingjia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are in CELERY_TIMEZONE, the site's TIME_ZONE (Asia/Shanghai by default).
app.conf.beat_schedule = {
    "deadline-reminders": {
        "task": "evaluations.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}
