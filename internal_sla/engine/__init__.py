"""Plain-Python arithmetic of internal_sla: working time and KPI formulas (no ORM)."""
