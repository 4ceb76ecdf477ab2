"""Django's own form messages, as a member of the public reads them: the project's catalogue
replaces the wrong or stiff Chinese of Django's (kepu/message_overrides.py)."""

import pytest
from django import forms
from django.utils import translation

pytestmark = pytest.mark.sqlite


class Form(forms.Form):
    name = forms.CharField(max_length=4)
    age = forms.IntegerField(max_value=120, required=False)
    score = forms.DecimalField(max_digits=4, decimal_places=1, required=False)
    colour = forms.ChoiceField(choices=[("red", "红")], required=False)


def errors(data) -> dict:
    with translation.override("zh-hans"):
        form = Form(data)
        form.is_valid()
        return {field: list(messages) for field, messages in form.errors.items()}


def test_a_nul_byte_is_named_as_such_not_called_an_empty_string():
    assert errors({"name": "小\x00明"})["name"] == ["内容不能包含空字符（NUL）。"]


def test_length_number_and_choice_messages_speak_to_people():
    found = errors({"name": "一二三四五", "age": "200", "score": "1.25", "colour": "blue"})

    assert found == {
        "name": ["最多 4 个字（现在有 5 个）。"],
        "age": ["不能大于 120。"],
        "score": ["小数点后最多 1 位。"],
        "colour": ["请从列表中选择一项（“blue”不在其中）。"],
    }
    assert errors({})["name"] == ["请填写此项。"]


def test_a_short_password_is_explained_in_chinese():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password("kx7")

    assert "密码太短，至少需要 8 个字符。" in caught.value.messages
