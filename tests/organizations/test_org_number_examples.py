"""The example organisation number a person is shown is one and the same, and it is accepted."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from organizations.forms import OrganisationRegisterForm
from organizations.validators import org_number_compact

EXAMPLE = re.compile(r"\d{6}-\d{4}")


def test_the_help_text_and_the_error_message_give_the_same_example_and_it_is_valid():
    with translation.override("sv"):
        help_text = str(OrganisationRegisterForm().fields["org_number"].help_text)
        with pytest.raises(ValidationError) as refused:
            org_number_compact("12345")
        message = refused.value.messages[0]
    shown = EXAMPLE.findall(help_text) + EXAMPLE.findall(message)
    assert len(shown) == 2 and shown[0] == shown[1], shown
    assert org_number_compact(shown[0]) == shown[0].replace("-", "")
