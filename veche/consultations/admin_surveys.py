"""Admin of the survey part: for support staff to look things up. Answers are read-only here (they are a
resident's), and changes to surveys go through the builder's services."""

from django.contrib import admin

from veche.consultations.models import Option, Question, Survey, SurveyAnswer, SurveyResponse


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("weight", "kind", "text", "required")
    readonly_fields = ("kind",)
    show_change_link = True


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "consultation", "is_published", "ask_demographics", "results_visibility")
    list_filter = ("is_published", "ask_demographics", "results_visibility")
    search_fields = ("title", "consultation__subject")
    raw_id_fields = ("consultation",)
    inlines = (QuestionInline,)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "survey", "kind", "required", "weight")
    list_filter = ("kind", "required")
    search_fields = ("text",)
    raw_id_fields = ("survey",)
    inlines = (OptionInline,)


class AnswerInline(admin.TabularInline):
    model = SurveyAnswer
    extra = 0
    can_delete = False
    fields = ("question", "choices", "number", "text", "latitude", "longitude", "contribution")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ARG002 - Django's signature
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """No participant shown: linking a person to their answers is not a support task."""

    list_display = ("__str__", "survey", "channel", "created_at")
    list_filter = ("channel",)
    fields = ("survey", "channel", "recorded_by", "created_at")
    readonly_fields = fields
    inlines = (AnswerInline,)

    def has_add_permission(self, request):  # noqa: ANN001 - Django's signature
        return False
