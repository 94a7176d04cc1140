"""Design-system template tags."""

from django import template

register = template.Library()
