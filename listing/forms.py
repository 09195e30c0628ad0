"""The lists' filter forms: what draws them."""

from django import forms
from django.forms.renderers import Jinja2

# The lists' filter forms are drawn with Django's own Jinja2 form templates, which give
# the same markup as its Django-template ones in less time: the matrix's nine plain
# fields cost 5.3 ms through the template language and 3.4 through Jinja2 at national
# scale (issue 15). One renderer for every list: each renderer builds its Jinja2
# environment once. The admin and every other form keep the default renderer (the
# admin's widgets have no Jinja2 templates).
LIST_FORM_RENDERER = Jinja2()


class ListFilterForm(forms.Form):
    """A list's filter form, drawn by `LIST_FORM_RENDERER`: the base of the plain forms
    (the timeline's) and the `Meta.form` of plain FilterSets; a `FacetedFilterSet`'s
    form gets the renderer by itself."""

    default_renderer = LIST_FORM_RENDERER
