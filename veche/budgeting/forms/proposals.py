"""Forms of the proposal pages: the proposal with its cost items and images, and the list's filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.models import Category, Edition, Pool, Proposal
from veche.budgeting.rules import PUBLIC_STATUSES
from veche.budgeting.services.proposals import (
    MAX_DESCRIPTION_LENGTH,
    MAX_IMAGES,
    CostMismatchError,
    ProposalInput,
    resolve_estimate,
)
from veche.core.images import reencode_image


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=300,
        required=False,
        help_text=_("One or two sentences shown in lists and on the ballot."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What should be done, where, for whom and why."),
        error_messages={
            "max_length": _(
                "The description can have at most %(limit_value)d characters (it has %(show_value)d). Shorten it, or "
                "link to a longer document."
            )
        },
    )
    pool = forms.ModelChoiceField(label=_("Pool"), queryset=Pool.objects.none(), empty_label=None)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("No category")
    )
    cost_estimate = forms.DecimalField(
        label=_("Estimated cost"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"data-cost-estimate": "", "step": "0.01"}),
        help_text=_("When you list cost items below, the estimate is their sum: you may leave it empty."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), min_value=-90, max_value=90, max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), min_value=-180, max_value=180, max_digits=9, decimal_places=6, required=False
    )
    address = forms.CharField(label=_("Address or place"), max_length=200, required=False)
    co_authors = forms.CharField(
        label=_("Co-authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Email addresses of people with an account here, one per line. They will be notified."),
    )
    remove_images = forms.TypedMultipleChoiceField(
        label=_("Remove images"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        edition: Edition,
        proposal: Proposal | None = None,
        may_set_co_authors: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.proposal = proposal
        cast(forms.ModelChoiceField, self.fields["pool"]).queryset = Pool.objects.filter(edition=edition)
        categories = Category.objects.filter(edition=edition)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories
        if not categories.exists():
            del self.fields["category"]
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        if edition.has_bounds:
            self.fields["latitude"].help_text = _("Click the map to fill in both, or type them in.")
        if not may_set_co_authors:
            del self.fields["co_authors"]
        images = list(proposal.images.all()) if proposal is not None else []
        if images:
            remove = cast(forms.TypedMultipleChoiceField, self.fields["remove_images"])
            remove.choices = [(image.pk, image.alt_text) for image in images]
        else:
            del self.fields["remove_images"]

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict[str, Any]:
        return {
            "title": proposal.title,
            "summary": proposal.summary,
            "description": proposal.description,
            "pool": proposal.pool_id,
            "category": proposal.category_id,
            "cost_estimate": proposal.cost_estimate,
            "latitude": proposal.latitude,
            "longitude": proposal.longitude,
            "address": proposal.address,
            "co_authors": "\n".join(person.email or "" for person in proposal.co_authors.all()),
        }

    def co_author_emails(self) -> list[str] | None:
        if "co_authors" not in self.fields:
            return None
        text = self.cleaned_data.get("co_authors") or ""
        return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]

    def clean_co_authors(self) -> str:
        text = self.cleaned_data.get("co_authors") or ""
        validator = forms.EmailField()
        bad = []
        for line in text.replace(",", "\n").splitlines():
            if line.strip():
                try:
                    validator.clean(line.strip())
                except ValidationError:
                    bad.append(line.strip())
        if bad:
            raise ValidationError(
                _("These are not email addresses: %(values)s"), params={"values": ", ".join(bad)}, code="invalid"
            )
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None) and not self.errors.get("latitude"):
            self.add_error("latitude", _("Give both the latitude and the longitude, or neither."))
        return cleaned

    def to_input(self, cost_items: list[tuple[str, Decimal]], new_images: list[tuple[Any, str]]) -> ProposalInput:
        data = self.cleaned_data
        return ProposalInput(
            title=data["title"],
            summary=data.get("summary") or "",
            description=data["description"],
            pool=data["pool"],
            category=data.get("category"),
            cost_estimate=data.get("cost_estimate"),
            cost_items=cost_items,
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            address=data.get("address") or "",
            new_images=new_images,
            remove_images=data.get("remove_images") or [],
        )


class CostItemForm(forms.Form):
    description = forms.CharField(label=_("Item"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"data-cost-amount": "", "step": "0.01"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        has_text, has_amount = bool(cleaned.get("description")), cleaned.get("amount") is not None
        if has_text and not has_amount and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount of this item."))
        if has_amount and not has_text:
            self.add_error("description", _("Say what this amount is for."))
        return cleaned


class BaseCostItemFormSet(forms.BaseFormSet):
    def items(self) -> list[tuple[str, Decimal]]:
        return [
            (form.cleaned_data["description"], form.cleaned_data["amount"])
            for form in self.forms
            if form.cleaned_data.get("description") and form.cleaned_data.get("amount") is not None
        ]


CostItemFormSet = cast(
    type[BaseCostItemFormSet],
    forms.formset_factory(CostItemForm, formset=BaseCostItemFormSet, extra=3, max_num=30),
)


class ImageForm(forms.Form):
    image = forms.ImageField(
        label=_("Image"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF. We re-save it without its metadata (such as location)."),
    )
    alt_text = forms.CharField(
        label=_("Description of the image"),
        max_length=200,
        required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        upload = cleaned.get("image")
        if upload:
            if not cleaned.get("alt_text", "").strip():
                self.add_error("alt_text", _("Describe the image for people who cannot see it."))
            try:
                cleaned["reencoded"] = reencode_image(upload)
            except ValidationError as error:
                self.add_error("image", error)
        return cleaned


class BaseImageFormSet(forms.BaseFormSet):
    def images(self) -> list[tuple[Any, str]]:
        return [
            (form.cleaned_data["reencoded"], form.cleaned_data["alt_text"])
            for form in self.forms
            if form.cleaned_data.get("reencoded")
        ]


def image_formset(existing: int, *args: Any, **kwargs: Any) -> BaseImageFormSet:
    """Slots for new images: two at a time, never more than MAX_IMAGES in all."""
    room = max(MAX_IMAGES - existing, 0)
    formset_class = forms.formset_factory(ImageForm, formset=BaseImageFormSet, extra=min(2, room), max_num=room)
    return cast(BaseImageFormSet, formset_class(*args, **kwargs))


def estimate_note(estimate: Decimal | None, items: list[tuple[str, Decimal]]) -> str | None:
    """A sentence for the form when the estimate and the items disagree (None when they agree)."""
    try:
        resolve_estimate(estimate, [amount for _d, amount in items])
    except CostMismatchError as error:
        return str(
            _("The items add up to %(total)s, the estimate says %(estimate)s.")
            % {"total": error.total, "estimate": error.estimate}
        )
    except ValueError:
        return None
    return None


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    pool = forms.ModelChoiceField(label=_("Pool"), queryset=Pool.objects.none(), required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, edition: Edition, pools: list[Pool], categories: list[Category], **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Choices from the lists the view already loaded, so that rendering needs no query; validation still
        # checks the value against the edition's rows.
        pool = cast(forms.ModelChoiceField, self.fields["pool"])
        pool.queryset = Pool.objects.filter(edition=edition)
        pool.choices = [("", _("All pools")), *((item.pk, item.name) for item in pools)]
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = Category.objects.filter(edition=edition)
        category.choices = [("", _("All categories")), *((item.pk, item.name) for item in categories)]
        if not categories:
            del self.fields["category"]
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("All statuses"))] + [
            (value, label) for value, label in ProposalStatus.choices if value in PUBLIC_STATUSES
        ]
