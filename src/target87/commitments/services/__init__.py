"""What changes the follow-through: actions and their history, money and exchange rates, focal points and good
practices, the CSV import, and the reminders of overdue actions."""

from .actions import action_create, action_update
from .money import money_add, money_clean, money_remove, rate_set
from .people import focal_point_add, focal_point_remove, good_practice_save
from .reminders import overdue, remind_overdue

__all__ = [
    "action_create",
    "action_update",
    "focal_point_add",
    "focal_point_remove",
    "good_practice_save",
    "money_add",
    "money_clean",
    "money_remove",
    "overdue",
    "rate_set",
    "remind_overdue",
]
