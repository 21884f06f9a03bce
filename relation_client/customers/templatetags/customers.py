from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from relation_client.customers.greetings import agency_words, birth_words
from relation_client.customers.normalize import phone_display

register = template.Library()


@register.filter(name="phone")
def phone(value: str) -> str:
    """+33612345678 -> 06 12 34 56 78: numbers as staff read them aloud."""
    try:
        return phone_display(value)
    except Exception:  # noqa: BLE001 - a malformed legacy value is shown as stored
        return value


@register.filter(name="get_item")
def get_item(mapping: dict, key):
    """mapping[key] in a template, None when absent."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def born(customer, year_only: bool = False) -> str:
    """The birth agreeing with the civility ("née le 1er mai 1968"): greetings.birth_words."""
    return birth_words(customer, year_only=year_only)


@register.simple_tag
def home_agency(customer) -> str:
    """The home agency agreeing with the civility ("rattachée à …"): greetings.agency_words."""
    return agency_words(customer, customer.home_agency.name) if customer.home_agency else ""


DJANGO_SELECT = (forms.Select.template_name, forms.Select.option_template_name)
DJANGO_INPUTS = {
    f"django/forms/widgets/{kind}.html"
    for kind in ("text", "number", "email", "url", "tel", "search", "date", "datetime", "time")
}
DJANGO_TEXTAREA = forms.Textarea.template_name


def _select_html(context: dict) -> str:
    groups = []
    for group_name, options, _index in context["optgroups"]:
        html = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options),
        )
        groups.append(
            format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
            if group_name
            else html
        )
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        context["name"],
        flatatt(context["attrs"]),
        mark_safe("".join(groups)),  # noqa: S308 - each part is built by format_html
    )


def _widget_html(widget: forms.Widget, name: str, value, attrs: dict) -> str | None:
    """What Django's own templates write for a select, a one-line input or a textarea, in
    Python: through the templates, each option costs two includes and each widget one or
    two, most of the touchpoint form's rendering time. None for any other widget, or one
    given its own template: the caller renders it the usual way."""
    if isinstance(widget, forms.Select):
        if (widget.template_name, widget.option_template_name) != DJANGO_SELECT:
            return None
        return _select_html(widget.get_context(name, value, attrs)["widget"])
    if widget.template_name not in DJANGO_INPUTS and widget.template_name != DJANGO_TEXTAREA:
        return None
    context = widget.get_context(name, value, attrs)["widget"]
    if widget.template_name == DJANGO_TEXTAREA:
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            flatatt(context["attrs"]),
            context["value"] or "",
        )
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        format_html(' value="{}"', context["value"]) if context["value"] is not None else "",
        flatatt(context["attrs"]),
    )


@register.filter(name="bootstrap_widget")
def bootstrap_widget(field: forms.BoundField) -> str:
    """A field's widget with Bootstrap's class, `is-invalid` when refused; Django adds
    aria-invalid and aria-describedby (the help text's id, then the error's)."""
    widget = field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    attrs = {"class": f"{css} is-invalid" if field.errors else css}
    # BoundField.as_widget's steps, the rendering aside
    built = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        built.setdefault("id", field.auto_id)
    html = _widget_html(widget, field.html_name, field.value(), built)
    return field.as_widget(attrs=attrs) if html is None else html
