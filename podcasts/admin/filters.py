"""Changelist filters of the editorial admin."""

from django.contrib import admin

from podcasts import audit
from podcasts.models import Episode

from .findings import audit_findings


class ProblemsFilter(admin.SimpleListFilter):
    title = "audit"
    parameter_name = "problems"

    def lookups(self, request, model_admin):
        return [("errors", "has errors"), ("warnings", "warnings only"), ("none", "no problems")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        found = audit_findings(Episode.objects.only("pk", "version", "updated_at"))
        severities = {pk: {finding.severity for finding in findings} for pk, findings in found.items()}
        wanted = {
            "errors": lambda kinds: "error" in kinds,
            "warnings": lambda kinds: kinds == {"warning"},
            "none": lambda kinds: not kinds,
        }[self.value()]
        return queryset.filter(pk__in=[pk for pk, kinds in severities.items() if wanted(kinds)])


class RuleFilter(admin.SimpleListFilter):
    """Episodes with a finding of one audit rule (the ``fix_selected`` action fixes that rule)."""

    title = "audit rule"
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        return [(rule.id, rule.id) for rule in audit.RULES]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        found = audit_findings(Episode.objects.only("pk", "version", "updated_at"))
        return queryset.filter(pk__in=[pk for pk, findings in found.items() if any(f.rule == self.value() for f in findings)])
