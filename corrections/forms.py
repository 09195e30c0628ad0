from django import forms

from .models import Correction


class CorrectionForm(forms.ModelForm):
    about = forms.CharField(widget=forms.HiddenInput, max_length=80)
    # A field people never see (hidden by CSS, skipped by screen readers and autofill):
    # a bot that fills every field gives itself away, and is thanked without being stored.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Correction
        fields = ["what_is_wrong", "what_is_right", "source_url", "email"]
        labels = {
            "what_is_wrong": "What is wrong",
            "what_is_right": "What is right",
            "source_url": "A source that shows it (URL)",
            "email": "Your email (optional)",
        }
        help_texts = {
            "what_is_wrong": "Quote or describe the fact on the page that is wrong.",
            "what_is_right": "What it should say.",
            "source_url": "A public page, document or news story that supports the correction.",
            "email": "Only if you want one message telling you how we resolved it. We delete the address "
            "once that message is sent, and never show it on the site.",
        }
        widgets = {
            "what_is_wrong": forms.Textarea(attrs={"rows": 4}),
            "what_is_right": forms.Textarea(attrs={"rows": 4}),
            "source_url": forms.URLInput(attrs={"placeholder": "https://"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    @property
    def is_from_a_bot(self):
        return bool(self.cleaned_data.get("website"))
