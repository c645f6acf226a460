"""Splitting official multilingual names into Norwegian, Sámi and Kven forms."""

from __future__ import annotations

from dugnad.units.registry.names import name_forms


def test_a_plain_name_has_no_other_forms():
    forms = name_forms("Bergen")
    assert (forms.norwegian, forms.others, forms.unknown) == ("Bergen", {}, ())


def test_forms_are_found_whichever_order_they_come_in():
    assert name_forms("Nordreisa - Ráisa - Raisi").others == {"se": "Ráisa", "fkv": "Raisi"}
    forms = name_forms("Guovdageaidnu - Kautokeino")
    assert (forms.norwegian, forms.others) == ("Kautokeino", {"se": "Guovdageaidnu"})


def test_names_with_hyphens_inside_a_form_stay_whole():
    assert name_forms("Aurskog-Høland").norwegian == "Aurskog-Høland"


def test_forms_not_in_the_table_are_reported():
    forms = name_forms("Nyby - Uusikylä - Ođđagilli", forms={})
    assert forms.norwegian == "Nyby"
    assert forms.unknown == ("Uusikylä", "Ođđagilli")
