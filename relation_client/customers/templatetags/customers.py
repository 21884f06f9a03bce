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


def _select_html(widget: forms.Select, name: str, value, attrs: dict) -> str:
    """What django/forms/widgets/select.html and select_option.html write, in Python: the
    templates cost two includes an option, most of the touchpoint form's rendering time."""
    context = widget.get_context(name, value, attrs)["widget"]
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


@register.filter(name="bootstrap_widget")
def bootstrap_widget(field: forms.BoundField) -> str:
    """A field's widget with Bootstrap's class, `is-invalid` when refused; Django adds
    aria-invalid and aria-describedby (the help text's id, then the error's)."""
    widget = field.field.widget
    is_select = isinstance(widget, forms.Select)
    css = "form-select" if is_select else "form-control"
    attrs = {"class": f"{css} is-invalid" if field.errors else css}
    if not is_select or (widget.template_name, widget.option_template_name) != DJANGO_SELECT:
        return field.as_widget(attrs=attrs)
    # BoundField.as_widget's steps, the rendering aside
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return _select_html(widget, field.html_name, field.value(), attrs)
