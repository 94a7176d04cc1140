"""Admin views of consultations: for support staff to look things up. Changes go through the same services as the
site; the admin offers no business actions of its own."""

from django.contrib import admin

from veche.consultations.models import (
    Consultation,
    ConsultationMethod,
    ConsultationTargetGroup,
    Contribution,
    Document,
    Paragraph,
    Participant,
    Section,
    StandardItem,
    StandardSet,
)


class MethodInline(admin.TabularInline):
    model = ConsultationMethod
    extra = 0


class TargetGroupInline(admin.TabularInline):
    model = ConsultationTargetGroup
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("subject", "organisation", "language", "opens_at", "closes_at", "report_published_at")
    list_filter = ("language", "participation_mode", "organisation")
    search_fields = ("subject", "summary", "slug")
    raw_id_fields = ("module", "organisation", "created_by", "standard_set")
    filter_horizontal = ("topics",)
    inlines = (MethodInline, TargetGroupInline)
    date_hierarchy = "opens_at"


class StandardItemInline(admin.StackedInline):
    model = StandardItem
    extra = 0


@admin.register(StandardSet)
class StandardSetAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "min_open_days")
    raw_id_fields = ("organisation",)
    inlines = (StandardItemInline,)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("__str__", "consultation", "user", "email_verified_at", "created_at")
    raw_id_fields = ("consultation", "user")
    search_fields = ("display_name", "user__email")


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "consultation", "source", "created_at")
    raw_id_fields = ("consultation",)
    inlines = (SectionInline,)


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ("__str__", "document", "section")
    raw_id_fields = ("document", "section")


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "consultation", "kind", "channel", "status", "created_at")
    list_filter = ("kind", "channel", "status")
    search_fields = ("text",)
    raw_id_fields = ("consultation", "participant", "paragraph", "parent", "recorded_by", "moderated_by")


# Each part's admin module registers its own models (imported last, once the shared models are registered).
from veche.consultations import (  # noqa: E402
    admin_report,  # noqa: F401
    admin_setup,  # noqa: F401
    admin_surveys,  # noqa: F401
)
