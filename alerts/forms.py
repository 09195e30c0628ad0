from django import forms


class FollowForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We store only this address and what you follow, use it only for these messages, and delete "
        "both when you unsubscribe (every message has the link).",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Hidden from people (see corrections.forms): a bot that fills it is thanked, nothing is sent.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_from_a_bot(self):
        return bool(self.cleaned_data.get("website"))
