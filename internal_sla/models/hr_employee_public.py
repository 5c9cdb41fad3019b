from odoo import models


class HrEmployeePublic(models.Model):
    _name = "hr.employee.public"
    _inherit = ["hr.employee.public", "internal.sla.service.profile.mixin"]
