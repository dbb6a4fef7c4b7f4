"""The authentication backend: Django's own, with the user's unread notifications counted.

Django loads the signed-in user on every request with one query; counting the unread
notifications in that same query (a subquery) gives the bell in the menu its number without a
query of its own, on every page, however many notifications there are.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from phongtrao.notifications.models import Notification


class UserWithUnreadBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        users = get_user_model()._default_manager.annotate(
            unread_notifications=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
