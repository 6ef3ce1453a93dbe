"""Signals the crm app sends to the apps built on it, which crm cannot import
(imports go one way: core ← crm ← tickets ← channels)."""

from django.dispatch import Signal

# Sent after a merge has committed (do_merge_contacts), with sender=Contact and
#   kept_id:   the contact that stays and now holds everything,
#   merged_id: the contact merged into it, no longer in the database,
#   moved:     {"<app>.<model>.<field>": rows moved} for every relation that had rows.
# Whatever an app derived from the merged contact (a conversation's search
# document holds its requester's name and addresses) is stale until it reacts.
contacts_merged = Signal()
