from django import forms
from django.contrib.auth.forms import AuthenticationForm


def account_name(request, credentials=None) -> str:
    """The account a sign-in attempt is for, as sign-in matches it: trimmed and in lower case. The
    lockout counts failures under this name (AXES_USERNAME_CALLABLE)."""
    data = credentials if credentials else getattr(request, "POST", {})
    return str(data.get("username") or "").strip().lower()


class SignInForm(AuthenticationForm):
    """Email and password. One message for every failure, so it never says whether an account exists."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false", "autofocus": True}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }

    def clean_username(self):
        return account_name(None, self.cleaned_data)


class SecurityCodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-5",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the security code from your authenticator app"},
    )

    def __init__(self, *args, device_check=None, reauthenticate=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._device_check = device_check
        self.device = None
        self._user = reauthenticate
        if reauthenticate is not None:
            # Adding a second app: the password again, so an unattended signed-in session is not enough.
            self.fields = {
                "password": forms.CharField(
                    label="Your password",
                    strip=False,
                    widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                    error_messages={"required": "Enter your password"},
                ),
                **self.fields,
            }

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self._user.check_password(password):
            raise forms.ValidationError("Enter your correct password")
        return password

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6-digit security code")
        self.device = self._device_check(code)
        if self.device is None:
            raise forms.ValidationError("The security code is not correct or has expired: enter the newest code")
        return code
