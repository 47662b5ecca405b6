"""The listing form in sections: each one validates and saves only its own fields."""

import io

import pytest
from PIL import Image

from marketplace.extensions import db
from marketplace.models import CancellationPolicy, Listing, ListingKind, Role
from tests.factories import login, make_community, make_listing, make_user


def fresh(listing: Listing) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def texts_of(listing: Listing) -> dict[str, str]:
    return {t.locale: t.title for t in fresh(listing).texts}


@pytest.fixture
def stay(client):
    listing = make_listing(title="Nhà sàn bên suối")
    login(client, listing.host)
    return listing


def post(client, listing, section, lang="en", **fields):
    return client.post(
        f"/host/listings/{listing.id}?lang={lang}", data={"section": section, **fields}
    )


def jpeg(color=(60, 140, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(out, "JPEG")
    return out.getvalue()


def test_a_new_listing_starts_with_basics_then_opens_the_rest(client):
    host = make_user(Role.HOST, community=make_community())
    login(client, host)
    page = client.get("/host/listings/new?kind=stay&lang=en").get_data(as_text=True)
    assert 'id="basics"' in page and 'name="texts-ko-title"' in page
    assert 'name="latitude"' not in page and 'name="amenities"' not in page
    response = client.post("/host/listings/new", data={"kind": "stay", "texts-vi-title": "Nhà"})
    assert response.status_code == 302
    listing = db.session.query(Listing).one()
    # terms not on the short form keep their defaults
    assert listing.cancellation_policy == CancellationPolicy.MODERATE
    assert set(listing.payment_methods) == {"stripe", "vietqr", "pay_at_arrival"}
    page = client.get(response.location + "?lang=en").get_data(as_text=True)
    for anchor in ("basics", "texts", "location", "amenities", "terms", "photos", "rooms"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert page.count('name="section"') >= 7


def test_a_language_section_saves_that_language_alone(client, stay):
    before = texts_of(stay)
    response = post(
        client, stay, "texts-zh", **{"texts-zh-title": "溪边高脚屋", "texts-vi-title": ""}
    )
    assert response.status_code == 302 and response.location.endswith("#texts-zh")
    # the empty Vietnamese title was not in this section: Vietnamese stays
    assert texts_of(stay) == {**before, "zh": "溪边高脚屋"}


def test_clearing_the_last_title_is_refused_next_to_the_field(client):
    listing = make_listing(title="Nhà sàn")
    for text in [t for t in listing.texts if t.locale != "vi"]:
        listing.texts.remove(text)
    db.session.commit()
    login(client, listing.host)
    response = post(
        client, listing, "texts-vi", **{"texts-vi-title": "", "texts-vi-summary": "Còn đây"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="texts-vi-title-error"' in page
    assert 'value="Còn đây"' in page  # what was typed stays
    assert texts_of(listing) == {"vi": "Nhà sàn"}


def test_location_typed_with_a_comma_is_saved_and_cleared(client, stay):
    response = post(client, stay, "location", latitude="21,853700", longitude=" 106.7615 ")
    assert response.status_code == 302 and response.location.endswith("#location")
    listing = fresh(stay)
    assert (listing.latitude, listing.longitude) == (21.8537, 106.7615)
    response = client.get(f"/host/listings/{stay.id}?lang=en")
    page = response.get_data(as_text=True)
    assert 'value="21.853700"' in page and 'id="use-position"' in page
    # "Use my position" needs the site itself allowed to ask for it
    assert "geolocation=(self)" in response.headers["Permissions-Policy"]
    assert post(client, stay, "location", latitude="", longitude="").status_code == 302
    assert fresh(stay).latitude is None and fresh(stay).longitude is None


@pytest.mark.parametrize(
    "latitude, longitude, field, words",
    [
        ("95", "106", "latitude", "from -90 to 90"),
        ("21.8", "200", "longitude", "from -180 to 180"),
        ("north", "106", "latitude", "degrees"),
        ("nan", "106", "latitude", "from -90 to 90"),
        ("21.8", "", "longitude", "both latitude and longitude"),
    ],
)
def test_a_bad_location_is_an_error_next_to_its_field(
    client, stay, latitude, longitude, field, words
):
    response = post(client, stay, "location", latitude=latitude, longitude=longitude)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and words in page
    assert f'value="{latitude}"' in page
    assert fresh(stay).latitude is None


def test_a_point_outside_vietnam_is_saved_with_a_warning(client, stay):
    # latitude and longitude swapped: a real mistake, saved but pointed out
    response = post(client, stay, "location", latitude="106.7", longitude="21.8")
    assert response.status_code == 400  # 106 is no latitude at all
    response = post(client, stay, "location", latitude="48.85", longitude="2.35")
    assert response.status_code == 302
    assert fresh(stay).latitude == 48.85
    page = client.get(f"/host/listings/{stay.id}?lang=en").get_data(as_text=True)
    assert "outside Vietnam" in page and "flash-warning" in page


def test_amenities_are_translated_checkboxes_and_other_words_are_kept(client, stay):
    stay.amenities = ["wifi", "Karaoke", "breakfast"]
    db.session.commit()
    page = client.get(f"/host/listings/{stay.id}?lang=en").get_data(as_text=True)
    assert 'value="wifi" checked' in page and "Wi-Fi" in page
    assert 'value="kayak"' in page and 'value="kayak" checked' not in page
    assert 'name="amenities_other" value="Karaoke" checked' in page
    vi = client.get(f"/host/listings/{stay.id}?lang=vi").get_data(as_text=True)
    assert "Wi-Fi" in vi and "Breakfast included" not in vi  # labels follow the language

    response = post(
        client,
        stay,
        "amenities",
        amenities=["kayak", "wifi"],
        amenities_other=["Karaoke"],
        amenities_more="Hot water, Fishing rods ,",
    )
    assert response.status_code == 302 and response.location.endswith("#amenities")
    # known codes in the table's order, then the other words; typed "Hot water" is the code
    assert fresh(stay).amenities == ["wifi", "hot_water", "kayak", "Karaoke", "Fishing rods"]
    post(client, stay, "amenities", amenities=["wifi"])  # "Karaoke" unticked
    assert fresh(stay).amenities == ["wifi"]


def test_terms_refuse_no_way_to_pay_and_leave_the_rest(client, stay):
    before = texts_of(stay)
    response = post(client, stay, "terms", cancellation_policy="strict")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="payment_methods-error"' in page
    assert 'value="strict" checked' in page  # the choice is kept on the page
    assert fresh(stay).cancellation_policy == CancellationPolicy.MODERATE
    response = post(client, stay, "terms", cancellation_policy="strict", payment_methods=["vietqr"])
    assert response.status_code == 302 and response.location.endswith("#terms")
    listing = fresh(stay)
    assert listing.cancellation_policy == CancellationPolicy.STRICT
    assert listing.payment_methods == ["vietqr"]
    assert texts_of(stay) == before


def test_basics_of_a_tour_set_its_duration(client):
    tour = make_listing(ListingKind.TOUR)
    login(client, tour.host)
    assert post(client, tour, "basics", duration_minutes="90").status_code == 302
    assert fresh(tour).duration_minutes == 90
    response = post(client, tour, "basics", duration_minutes="5")
    assert response.status_code == 400
    assert 'id="duration_minutes-error"' in response.get_data(as_text=True)
    assert fresh(tour).duration_minutes == 90


def test_an_unknown_section_is_a_form_error(client, stay):
    response = post(client, stay, "price", nightly_price="1")
    assert response.status_code == 400
    assert 'id="form-error"' in response.get_data(as_text=True)


def test_another_host_cannot_save_a_section(client, stay):
    client.post("/account/logout")
    login(client, make_user(Role.HOST, community=stay.community))
    assert post(client, stay, "location", latitude="21", longitude="106").status_code == 404
    assert fresh(stay).latitude is None


def test_several_photos_at_once_a_bad_one_named_the_good_ones_kept(client, stay):
    files = [
        (io.BytesIO(jpeg()), "house.jpg"),
        (io.BytesIO(b"<?php echo 1; ?>"), "shell.jpg"),
        (io.BytesIO(jpeg((10, 20, 200))), "river.jpg"),
    ]
    response = client.post(
        f"/host/listings/{stay.id}/photos?lang=en",
        data={"photo": files},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "shell.jpg was not added" in page and "2 photos added" in page
    assert len(fresh(stay).photos) == 2


def test_a_script_uploads_one_photo_and_gets_the_new_list(client, stay):
    response = client.post(
        f"/host/listings/{stay.id}/photos?lang=en",
        data={"photo": (io.BytesIO(jpeg()), "house.jpg"), "alt-en": "The house"},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["added"] == 1 and body["problems"] == []
    assert body["html"].count("<li>") == 1 and 'alt="The house"' in body["html"]
    response = client.post(
        f"/host/listings/{stay.id}/photos?lang=en",
        data={"photo": (io.BytesIO(b"not a picture"), "notes.txt")},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["problems"][0].startswith("notes.txt was not added")
    assert len(fresh(stay).photos) == 1
