"""Ceilings of what can be configured: beyond them a value is a typo, and some would ask the
engine for instants past the four years of working time it plans ahead."""

# longest target or stage rule, per unit: about a year of a 40-hour week
MAX_DURATION = {"minutes": 120000, "hours": 2000, "days": 250}
# shortest target, per unit: one minute (a day of 24 working hours at the least);
# shorter ones round to no time at all
MIN_DURATION = {"minutes": 1, "hours": 1 / 60, "days": 1 / (24 * 60)}
# last escalation level at ten times a target
MAX_ESCALATION_PERCENT = 1000
# targets relaxed at most fivefold in a surge
MAX_SURGE_FACTOR = 5
# a review meeting lasts at most a day
MAX_MEETING_HOURS = 24
