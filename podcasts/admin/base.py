"""What every model admin of the CMS shares."""

from django.contrib import admin, messages
from django.contrib.admin import helpers

from .forms import ActionSelectionForm


class EditorialAdmin(admin.ModelAdmin):
    """A ``ModelAdmin`` whose actions run only on a well-formed selection: Django's own
    ``response_action`` filters by the posted ids as they come, so a crafted id is a 500."""

    def response_action(self, request, queryset):
        selection = ActionSelectionForm({"selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)})
        if request.POST.get("action") and not selection.is_valid():
            self.message_user(request, "Nothing was done: the selection was not a list of ids.", messages.WARNING)
            return None
        return super().response_action(request, queryset)
