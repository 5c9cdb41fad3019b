from odoo import api, fields, models
from odoo.exceptions import UserError

from .internal_sla_agreement_meeting import LEVELS, MAX_LEVEL, SIDES
from .res_config_settings import selection_label


class InternalSlaActionItem(models.Model):
    """An action agreed at a review meeting (SPEC D5): an activity for its owner, in every
    agenda until done, one level up at each review it is still open at (H11)."""

    _name = "internal.sla.action.item"
    _description = "Review Meeting Action Item"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, date_deadline, id"

    name = fields.Char(string="Action", required=True, tracking=True)
    description = fields.Html()
    event_id = fields.Many2one(
        "calendar.event", string="Meeting", ondelete="set null", index="btree_not_null"
    )
    agreement_id = fields.Many2one(
        "internal.sla.agreement",
        required=True,
        index=True,
        compute="_compute_agreement_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    date_deadline = fields.Date(string="Due date", required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    date_done = fields.Date(readonly=True, copy=False)
    side = fields.Selection(
        SIDES, compute="_compute_side_level", store=True, readonly=False, precompute=True
    )
    level = fields.Selection(
        LEVELS,
        compute="_compute_side_level",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Managers (1), heads of department (2), top management (3): an action still "
        "open at the next review moves up one level.",
    )
    escalation_count = fields.Integer(readonly=True, copy=False)
    last_escalation_event_id = fields.Many2one(
        "calendar.event", string="Last escalated at", readonly=True, copy=False
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    color = fields.Integer()

    @api.depends("event_id")
    def _compute_agreement_id(self):
        for item in self:
            if item.event_id.sla_agreement_id:
                item.agreement_id = item.event_id.sla_agreement_id

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"open": 1, "done": 2, "cancelled": 3}
        for item in self:
            item.state_sequence = order[item.state]

    @api.depends("user_id", "agreement_id")
    def _compute_side_level(self):
        for item in self:
            side, level = item._side_level_of(item.user_id)
            item.side, item.level = side, str(level)

    def _side_level_of(self, user):
        """Where ``user`` stands in the agreement's roles: (side, level); level 1 of the
        side of their department when they hold no role."""
        agreement = self.agreement_id
        if not agreement:
            return "provider", 1
        for level in range(1, MAX_LEVEL + 1):
            for side, _label in SIDES:
                if user and user in agreement._sla_role_user(side, level):
                    return side, level
        departments = user.employee_ids.department_id
        provider = agreement.provider_department_id
        in_provider = departments.filtered(
            lambda d: d == provider or provider in agreement._sla_ancestors(d)
        )
        return ("provider" if in_provider or not departments else "customer"), 1

    @api.depends("date_deadline", "state")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for item in self:
            item.is_overdue = item.state == "open" and item.date_deadline < today

    def _search_is_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        overdue = [
            ("state", "=", "open"),
            ("date_deadline", "<", fields.Date.context_today(self)),
        ]
        return overdue if True in value else ["!", *overdue]

    # -- activities -------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        items._schedule_owner_activity()
        return items

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals or "date_deadline" in vals:
            open_items = self.filtered(lambda i: i.state == "open")
            open_items.activity_ids.sudo().unlink()
            open_items._schedule_owner_activity()
        return result

    def _schedule_owner_activity(self):
        for item in self.filtered(lambda i: i.state == "open"):
            item.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=item.date_deadline,
                summary=item.name[:250],
                user_id=item.user_id.id,
            )

    def _mark_done(self):
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})

    def action_done(self):
        """Done: the owner's activity is marked done with it."""
        open_items = self.filtered(lambda i: i.state == "open")
        activities = open_items.activity_ids
        open_items._mark_done()
        if activities:
            activities.sudo().action_feedback(feedback=self.env._("Action item done"))
        return True

    def action_cancel(self):
        self.activity_ids.sudo().unlink()
        self.write({"state": "cancelled"})

    def action_reopen(self):
        self.filtered(lambda i: i.state != "open").write({"state": "open", "date_done": False})
        self._schedule_owner_activity()

    # -- escalation (H11) ----------------------------------------------------------------------

    def _escalate(self, review_event):
        """Move each item up one level: its owner becomes the person of the next level on
        the same side, skipping levels that are vacant or held by the owner themselves (a
        department right under the top of the hierarchy is its own level 2). Nobody else
        above → a note, owner kept."""
        for item in self:
            agreement = item.agreement_id
            current = int(item.level or 1)
            successor, new_level = self.env["res.users"], current
            for level in range(current + 1, MAX_LEVEL + 1):
                successor = (agreement._sla_role_user(item.side, level) - item.user_id)[:1]
                if successor:
                    new_level = level
                    break
            if not successor:
                item.write({"last_escalation_event_id": review_event.id})
                item.message_post(
                    body=self.env._(
                        "Still open at %(meeting)s, but nobody holds a role above level "
                        "%(level)s on the %(side)s side other than %(owner)s: the owner "
                        "stays %(owner)s. Set the managers of the parent departments to "
                        "escalate it further.",
                        meeting=review_event.name,
                        level=current,
                        side=selection_label(item, "side", item.side).lower(),
                        owner=item.user_id.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            previous = item.user_id
            item.write(
                {
                    "user_id": successor.id,
                    "level": str(new_level),
                    "escalation_count": item.escalation_count + 1,
                    "last_escalation_event_id": review_event.id,
                }
            )
            item.message_post(
                body=self.env._(
                    "Still open at %(meeting)s: escalated from %(previous)s to %(owner)s "
                    "(level %(level)s).",
                    meeting=review_event.name,
                    previous=previous.name,
                    owner=successor.name,
                    level=new_level,
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_escalated(self):
        if any(item.escalation_count for item in self):
            raise UserError(
                self.env._("Escalated action items are history: cancel them instead.")
            )
