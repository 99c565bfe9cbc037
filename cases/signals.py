"""Signals a case sends for those who follow it (the wall, statistics, notifications) without it knowing them."""

from django.dispatch import Signal

# Sent by the clock's tick (cases.escalation.tick, run by sla_tick every few minutes) with `now`. A
# receiver does its own periodic work and returns {what it did: how many}, which the tick reports.
ticked = Signal()

# Sent after writes that passed the models' signals by (bulk loads, the demo's backdated history):
# whoever keeps something derived from posts (statistics' rollup) must count it all again.
history_rewritten = Signal()

# Sent by a Post when something happens to it that people may need to hear of ("routed", "replied",
# "reminder", "escalated", …), with `post`, `event` and `data` (the event's details), inside the
# transaction that did it: notifications stores the messages there and sends them on commit.
case_event = Signal()

# Sent by a Post after an action that may change what of it is public (a reply, a closure, a privacy
# change …), with `post`, inside the action's transaction: wall.publishing brings its page in line.
case_changed = Signal()
