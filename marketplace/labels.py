"""Words for the codes stored on listings and communities (amenities, certifications, payments)."""

from flask_babel import lazy_gettext as _l

AMENITIES = {
    "wifi": _l("Wi-Fi"),
    "hot_water": _l("Hot water"),
    "breakfast": _l("Breakfast included"),
    "dinner": _l("Family dinner"),
    "parking": _l("Parking"),
    "bicycle": _l("Bicycles to borrow"),
    "kayak": _l("Kayaks"),
    "mosquito_net": _l("Mosquito nets"),
    "shared_bathroom": _l("Shared bathroom"),
    "private_bathroom": _l("Private bathroom"),
    "family_room": _l("Family rooms"),
    "vegetarian": _l("Vegetarian meals"),
    "laundry": _l("Laundry"),
    "air_conditioning": _l("Air conditioning"),
    "guide": _l("Local guide"),
}

CERTIFICATIONS = {
    "asean_cbt": _l("ASEAN Community-Based Tourism"),
    "asean_homestay": _l("ASEAN Homestay Standard"),
    "unesco_geopark": _l("UNESCO Global Geopark"),
}

PAYMENT_METHODS = {
    "stripe": _l("Card (Visa, Mastercard)"),
    "vietqr": _l("Bank transfer by VietQR"),
    "pay_at_arrival": _l("Pay at arrival"),
}


def label(table: dict, code: str) -> str:
    """The translated label of a code; an unknown code shows as itself, made readable."""
    return str(table.get(code) or code.replace("_", " ").capitalize())
