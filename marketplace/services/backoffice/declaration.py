"""The foreign guests' temporary-residence declaration, line by line, as the host uploads it.

Vietnam's declaration of temporary residence for foreigners (khai báo tạm trú cho người nước
ngoài) asks, per guest: full name, sex, date of birth, nationality, passport number, arrival
date, expected departure date and the address of the place of stay. The columns below carry
those fields under the portal's Vietnamese headers, in that order, whatever the page's language:
the sheet is for the immigration police, not for the host's reading. Nationality is the
country's Vietnamese name; dates are dd/mm/yyyy text, as the portal's form takes them. The
workbook itself is written by the web layer (`web/exports/xlsx_files.py`).
"""

from dataclasses import dataclass
from datetime import date

from ...countries import country_name
from ...i18n import localized
from ...models import BookingItem, Listing, User
from .registration import GuestRow

HEADERS = (
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Quốc tịch",
    "Số hộ chiếu",
    "Ngày đến",
    "Ngày dự kiến đi",
    "Địa chỉ lưu trú",
)
#: Guest.sex as the form writes it
SEX_VI = {"M": "Nam", "F": "Nữ"}


@dataclass
class DeclarationLine:
    full_name: str
    sex: str
    date_of_birth: str
    nationality: str
    passport_number: str
    arrival: str
    departure: str
    place_of_stay: str

    def cells(self) -> list[str]:
        return [
            self.full_name,
            self.sex,
            self.date_of_birth,
            self.nationality,
            self.passport_number,
            self.arrival,
            self.departure,
            self.place_of_stay,
        ]


def place_of_stay(listing: Listing) -> str:
    """The listing's address: its own when it has one, else its village, district, province."""
    own = (getattr(listing, "address", None) or "").strip()
    if own:
        return own
    community = listing.community
    parts = [localized(community.name, "vi"), community.district, community.province]
    return ", ".join(p for p in parts if p)


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def lines(host: User, rows: list[GuestRow]) -> list[DeclarationLine]:
    """One line per foreign guest of `registration.guests_between`, in the portal's fields."""
    result = []
    for row in rows:
        guest = row.guest
        stays: list[BookingItem] = [
            i for i in guest.booking.items if i.is_stay and i.host_id == host.id
        ]
        listing = stays[0].listing if stays else None
        result.append(
            DeclarationLine(
                full_name=guest.full_name.upper(),
                sex=SEX_VI.get(guest.sex or "", ""),
                date_of_birth=_day(guest.date_of_birth),
                nationality=country_name(guest.nationality, "vi"),
                passport_number=guest.passport_number or "",
                arrival=_day(row.arrival),
                departure=_day(row.departure),
                place_of_stay=place_of_stay(listing) if listing else "",
            )
        )
    return result
