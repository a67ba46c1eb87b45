"""Forms of the members pages: add a member (an existing user, or a new one), change a role."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.models import Department, Jurisdiction
from departments.roles import Role
from departments.services import NewPerson

BUREAU = "bureau"


class MemberAddForm(forms.Form):
    place = forms.ChoiceField(label=gettext_lazy("加入"))
    role = forms.ChoiceField(label=gettext_lazy("角色"))
    username = forms.CharField(
        label=gettext_lazy("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        error_messages={"required": gettext_lazy("请填写用户名。")},
    )
    create = forms.BooleanField(label=gettext_lazy("新建此用户"), required=False)
    last_name = forms.CharField(label=gettext_lazy("姓"), max_length=150, required=False)
    first_name = forms.CharField(label=gettext_lazy("名"), max_length=150, required=False)
    email = forms.EmailField(
        label=gettext_lazy("邮箱"),
        required=False,
        error_messages={"invalid": gettext_lazy("请填写有效的邮箱地址。")},
    )
    password = forms.CharField(
        label=gettext_lazy("初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("新建用户时填写；请线下告知本人，并请其登录后修改。"),
    )

    def __init__(
        self,
        *args: Any,
        jurisdiction: Jurisdiction,
        department: Department | None,
        roles: list[Role],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["role"].choices = [(role.value, role.label) for role in roles]
        if department is not None:
            fields["place"].choices = [(str(department.pk), department.name)]
            fields["place"].initial = str(department.pk)
        else:
            places = Department.objects.filter(jurisdiction=jurisdiction).order_by("name")
            fields["place"].choices = [(BUREAU, jurisdiction.name)] + [
                (str(d.pk), d.name) for d in places
            ]
        self.jurisdiction = jurisdiction

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("create"):
            return data
        if not (data.get("last_name") or data.get("first_name")):
            self.add_error("last_name", _("新建用户请填写姓名。"))
        if not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("新建用户请填写邮箱。"))
        password = data.get("password")
        if not password:
            self.add_error("password", _("新建用户请设置初始密码。"))
        else:
            try:
                validate_password(password)
            except forms.ValidationError as weak:
                self.add_error("password", weak)
        return data

    def chosen_place(self) -> Department | Jurisdiction:
        place = self.cleaned_data["place"]
        if place == BUREAU:
            return self.jurisdiction
        return Department.objects.get(pk=int(place))

    def new_person(self) -> NewPerson | None:
        data = self.cleaned_data
        if not data.get("create"):
            return None
        return NewPerson(
            last_name=data["last_name"].strip(),
            first_name=data["first_name"].strip(),
            email=data["email"],
            password=data["password"],
        )


class MembershipChoiceForm(forms.Form):
    """Names a membership in a POST: its kind (bureau or department) and id, and maybe a role."""

    kind = forms.ChoiceField(choices=[(BUREAU, BUREAU), ("department", "department")])
    membership = forms.IntegerField(min_value=1)
    role = forms.ChoiceField(choices=Role.choices, required=False)
