"""Django's form messages that a member of the public meets in our forms, whose Chinese in
Django's own catalogue is wrong or stiff.

Django's zh_Hans catalogue lacks the password-length message of Django 5.2 (shown in English),
says “不允许是用空字符串。” (“empty strings are not allowed”, with a typo) for a NUL byte,
calls a form field a “变量” (variable) or a “字段”, and tells people to “check the encoding
type on the form”. The project's catalogue (LOCALE_PATHS) is read before
Django's, so translating the same English messages there replaces them. Naming them here
keeps `makemessages` (scripts/check_translations.py) from dropping them as unused; the
Chinese is in locale/zh_Hans/LC_MESSAGES/django.po. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = (
    gettext_noop("Null characters are not allowed."),
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("The submitted file is empty."),
    # Django 5.2 reworded this one; its zh_Hans catalogue still has only the old wording, so
    # people were told in English.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
)
