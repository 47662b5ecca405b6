"""The demo catalogue: three real communities of Lang Son and Bac Kan, their hosts and listings.

Plain data only, so the seed command, the tests and the picture generator can all read it.
Money is integer VND; every text is given in Vietnamese and English here, and in Simplified
Chinese and Korean from `demo_texts_zh_ko`. People, homestays and bank accounts are invented for
the demo; places, specialties and festivals are real.
"""

from .demo_texts_zh_ko import TEXTS as _ZH_KO

DEMO_PASSWORD = "demo-pass-2026"

# --------------------------------------------------------------------------------------------
# Shared texts
# --------------------------------------------------------------------------------------------

_STILT_HOUSE_RULES = {
    "vi": (
        "Nhận phòng từ 14:00, trả phòng trước 11:00.\n"
        "Vui lòng cởi giày trước khi lên nhà sàn.\n"
        "Không hút thuốc trong nhà; giữ yên lặng sau 22:00.\n"
        "Bữa tối ăn cùng gia đình chủ nhà, xin báo trước nếu bạn ăn chay hoặc dị ứng.\n"
        "Hỏi ý kiến trước khi chụp ảnh người dân và bàn thờ trong nhà."
    ),
    "en": (
        "Check-in from 14:00, check-out by 11:00.\n"
        "Please take your shoes off before climbing into the stilt house.\n"
        "No smoking indoors; quiet hours after 22:00.\n"
        "Dinner is shared with the host family; tell us in advance if you are vegetarian or "
        "have allergies.\n"
        "Ask before photographing people or the family altar."
    ),
}

_HOMESTAY_RULES = {
    "vi": (
        "Nhận phòng từ 14:00, trả phòng trước 11:00.\n"
        "Không hút thuốc trong phòng; giữ yên lặng sau 22:00.\n"
        "Trẻ em dưới 6 tuổi ngủ chung giường với bố mẹ được miễn phí.\n"
        "Phân loại rác theo hướng dẫn của gia đình; hạn chế dùng đồ nhựa một lần."
    ),
    "en": (
        "Check-in from 14:00, check-out by 11:00.\n"
        "No smoking in the rooms; quiet hours after 22:00.\n"
        "Children under 6 sharing their parents' bed stay free.\n"
        "Please sort your rubbish as the family shows you and avoid single-use plastic."
    ),
}

_LAKE_HOUSE_RULES = {
    "vi": (
        "Nhận phòng từ 14:00, trả phòng trước 11:00.\n"
        "Cởi giày trước khi lên nhà sàn; không hút thuốc trong nhà.\n"
        "Luôn mặc áo phao khi chèo thuyền hoặc kayak trên hồ; không bơi một mình.\n"
        "Không mang rác xuống hồ và không hái lan, chặt cây trong Vườn quốc gia."
    ),
    "en": (
        "Check-in from 14:00, check-out by 11:00.\n"
        "Shoes off in the stilt house; no smoking indoors.\n"
        "Always wear a life jacket on a boat or kayak; never swim alone.\n"
        "Leave no rubbish on the lake and do not pick orchids or cut plants in the national park."
    ),
}

_TOUR_RULES = {
    "vi": (
        "Mang giày đi bộ bám tốt, mũ, áo mưa mỏng và nước uống.\n"
        "Đi theo hướng dẫn viên, không tự ý rời nhóm.\n"
        "Tour vẫn khởi hành khi mưa nhỏ; khi mưa to hoặc lũ, hướng dẫn viên sẽ đổi lịch "
        "hoặc hoàn tiền."
    ),
    "en": (
        "Bring walking shoes with good grip, a hat, a light rain jacket and water.\n"
        "Stay with your guide and do not leave the group on your own.\n"
        "Tours run in light rain; in heavy rain or floods the guide will reschedule or refund."
    ),
}

_HUU_LIEN_DIRECTIONS = {
    "vi": (
        "Từ Hà Nội (khoảng 130 km, gần 3 giờ): đi cao tốc Hà Nội – Bắc Giang – Lạng Sơn "
        "hoặc quốc lộ 1 đến trung tâm huyện Hữu Lũng, rồi rẽ theo đường tỉnh vào xã Hữu Liên "
        "(khoảng 30 km đường núi).\n"
        "Đi xe khách: các tuyến Hà Nội – Lạng Sơn dừng ở trung tâm huyện Hữu Lũng; chủ nhà đón "
        "bằng xe máy hoặc ô tô nếu bạn nhắn trước một ngày (có tính phí).\n"
        "Từ thành phố Lạng Sơn: khoảng 90 km theo quốc lộ 1 về phía Hữu Lũng.\n"
        "Đường vào làng đã đổ bê tông, đi xe máy thuận tiện; nên đi ban ngày."
    ),
    "en": (
        "From Hanoi (about 130 km, just under 3 hours): take the Hanoi – Bac Giang – Lang Son "
        "expressway or Highway 1 to the centre of Huu Lung district, then follow the provincial "
        "road into Huu Lien commune (about 30 km of mountain road).\n"
        "By bus: Hanoi – Lang Son buses stop in the centre of Huu Lung district; your host can "
        "pick you up by motorbike or car if you message a day ahead (for a fee).\n"
        "From Lang Son city: about 90 km along Highway 1 towards Huu Lung.\n"
        "The village road is concrete and easy by motorbike; travel in daylight."
    ),
}

_YEN_THINH_DIRECTIONS = {
    "vi": (
        "Từ Hà Nội (khoảng 120 km, 2 giờ 30 phút – 3 giờ): đi cao tốc Hà Nội – Bắc Giang – "
        "Lạng Sơn hoặc quốc lộ 1 đến trung tâm huyện Hữu Lũng, rồi theo đường tỉnh về xã "
        "Yên Thịnh.\n"
        "Đi xe khách: xuống ở trung tâm huyện Hữu Lũng, gọi cho chủ nhà để được đón "
        "(xe máy hoặc ô tô, có tính phí).\n"
        "Từ thành phố Lạng Sơn: khoảng 90 km, đi quốc lộ 1 về Hữu Lũng.\n"
        "Xe máy đi được đến tận cổng nhà; ô tô đỗ ở sân nhà văn hoá thôn."
    ),
    "en": (
        "From Hanoi (about 120 km, 2.5 to 3 hours): take the Hanoi – Bac Giang – Lang Son "
        "expressway or Highway 1 to the centre of Huu Lung district, then the provincial road "
        "to Yen Thinh commune.\n"
        "By bus: get off in the centre of Huu Lung district and call your host for a pick-up "
        "(motorbike or car, for a fee).\n"
        "From Lang Son city: about 90 km along Highway 1 towards Huu Lung.\n"
        "Motorbikes can ride to the gate; cars park at the village cultural house."
    ),
}

_PAC_NGOI_DIRECTIONS = {
    "vi": (
        "Từ Hà Nội (khoảng 230 km, 5–6 giờ): đi cao tốc Hà Nội – Thái Nguyên – Chợ Mới, "
        "tiếp quốc lộ 3 lên thành phố Bắc Kạn, rồi theo quốc lộ 279 đến Chợ Rã (trung tâm "
        "huyện Ba Bể) và đường vào Vườn quốc gia Ba Bể.\n"
        "Đi xe khách: có xe Hà Nội – Chợ Rã hằng ngày; từ Chợ Rã chủ nhà đón bằng xe máy hoặc "
        "ô tô (khoảng 18 km, có tính phí).\n"
        "Từ thành phố Bắc Kạn: khoảng 80 km, gần 2 giờ đường đèo.\n"
        "Vé vào Vườn quốc gia mua tại cổng. Đi xe máy nên đi ban ngày và cẩn thận ở các đoạn đèo."
    ),
    "en": (
        "From Hanoi (about 230 km, 5 to 6 hours): take the Hanoi – Thai Nguyen – Cho Moi "
        "expressway, continue on Highway 3 to Bac Kan city, then Highway 279 to Cho Ra (the "
        "centre of Ba Be district) and the road into Ba Be National Park.\n"
        "By bus: there are daily Hanoi – Cho Ra buses; from Cho Ra your host picks you up by "
        "motorbike or car (about 18 km, for a fee).\n"
        "From Bac Kan city: about 80 km, nearly 2 hours over mountain passes.\n"
        "National park entry tickets are sold at the gate. By motorbike, ride in daylight and "
        "take care on the passes."
    ),
}

_TET_SEASON = {
    "kind": "season",
    "name": {"vi": "Tết và mùa lễ hội đầu xuân", "en": "Tet and the spring festival season"},
    "start": "01-20",
    "end": "02-20",
    "percent": 30,
}

_LAKE_SUMMER = {
    "kind": "season",
    "name": {"vi": "Cao điểm hè", "en": "Summer peak"},
    "start": "06-01",
    "end": "08-31",
    "percent": 15,
}

_WEEKEND = {"kind": "weekend", "percent": 20}


# --------------------------------------------------------------------------------------------
# Communities
# --------------------------------------------------------------------------------------------

COMMUNITIES: list[dict] = [
    {
        "slug": "huu-lien",
        "name": {
            "vi": "Làng du lịch cộng đồng Hữu Liên",
            "en": "Huu Lien community tourism village",
        },
        "province": "Lạng Sơn",
        "district": "Hữu Lũng",
        "reference_prefix": "HL",
        "latitude": 21.68,
        "longitude": 106.35,
        "story": {
            "vi": (
                "Hữu Liên là một thung lũng nhỏ của huyện Hữu Lũng, nằm giữa những dãy núi đá "
                "vôi của Khu bảo tồn thiên nhiên Hữu Liên. Người Tày, người Nùng ở đây vẫn sống "
                "trong những ngôi nhà sàn gỗ, trồng lúa nước và gìn giữ rừng. Làng du lịch cộng "
                "đồng Hữu Liên đã được công nhận đạt tiêu chuẩn du lịch cộng đồng ASEAN. Khách "
                "đến để ngủ nhà sàn, đi bộ trong thung lũng karst, đạp xe qua cánh đồng và ăn "
                "cơm cùng gia đình chủ nhà; một phần tiền mỗi lượt đặt được góp vào quỹ của làng."
            ),
            "en": (
                "Huu Lien is a small valley in Huu Lung district, enclosed by the limestone "
                "ranges of the Huu Lien Nature Reserve. Tay and Nung families here still live in "
                "wooden stilt houses, grow wet rice and look after the forest. The Huu Lien "
                "community tourism village has been certified to ASEAN community-based tourism "
                "standards. Visitors come to sleep in a stilt house, walk through the karst "
                "valley, cycle past the rice fields and share meals with their hosts; part of "
                "every booking goes into the village fund."
            ),
        },
        "certifications": ["asean_cbt"],
        "bank": {
            "bank_bin": "970405",
            "account_number": "8301205012345",
            "account_name": "HTX DU LICH CONG DONG HUU LIEN",
        },
        "commission_rate_bp": 1000,
        "community_fund_rate_bp": 500,
        "attractions": [
            {
                "name": {
                    "vi": "Khu bảo tồn thiên nhiên Hữu Liên",
                    "en": "Huu Lien Nature Reserve",
                },
                "description": {
                    "vi": (
                        "Rừng trên núi đá vôi với nhiều loài động thực vật quý; có những lối "
                        "mòn nên đi cùng hướng dẫn viên người địa phương."
                    ),
                    "en": (
                        "Forest on limestone mountains, home to many rare plants and animals; "
                        "its trails are best walked with a local guide."
                    ),
                },
                "distance_km": 1,
            },
            {
                "name": {
                    "vi": "Thung lũng karst và cánh đồng Hữu Liên",
                    "en": "Huu Lien karst valley and rice fields",
                },
                "description": {
                    "vi": (
                        "Ruộng lúa nằm gọn giữa các vách núi đá vôi, xanh mướt vào mùa hè và "
                        "vàng óng khi lúa chín."
                    ),
                    "en": (
                        "Rice fields tucked between limestone cliffs, bright green in summer "
                        "and golden at harvest time."
                    ),
                },
                "distance_km": 0,
            },
            {
                "name": {"vi": "Thảo nguyên Đồng Lâm", "en": "Dong Lam grassland"},
                "description": {
                    "vi": (
                        "Đồng cỏ rộng giữa vòng núi, nơi bà con thả trâu bò; đẹp nhất lúc sáng "
                        "sớm có sương và khi hoàng hôn."
                    ),
                    "en": (
                        "Wide grassland ringed by mountains where villagers graze buffalo and "
                        "cattle; loveliest in the early-morning mist and at sunset."
                    ),
                },
                "distance_km": 7,
            },
            {
                "name": {
                    "vi": "Động Tam Thanh – Nhị Thanh",
                    "en": "Tam Thanh and Nhi Thanh caves",
                },
                "description": {
                    "vi": (
                        "Quần thể hang động và di tích nổi tiếng ngay trong thành phố Lạng Sơn, "
                        "dễ kết hợp khi đi hoặc về."
                    ),
                    "en": (
                        "A well-known group of caves and historic sites in Lang Son city, easy "
                        "to visit on the way in or out."
                    ),
                },
                "distance_km": 90,
            },
        ],
        "specialties": [
            {
                "vi": "Vịt quay lá mắc mật Lạng Sơn",
                "en": "Lang Son roasted duck with mac mat leaves",
            },
            {
                "vi": "Khâu nhục – thịt ba chỉ hấp khoai môn",
                "en": "Khau nhuc – steamed pork belly with taro",
            },
            {"vi": "Na Chi Lăng", "en": "Chi Lang custard apples"},
            {"vi": "Xôi ngũ sắc", "en": "Five-colour sticky rice"},
        ],
    },
    {
        "slug": "yen-thinh",
        "name": {"vi": "Cụm homestay Yên Thịnh", "en": "Yen Thinh homestay cluster"},
        "province": "Lạng Sơn",
        "district": "Hữu Lũng",
        "reference_prefix": "YT",
        "latitude": 21.64,
        "longitude": 106.29,
        "story": {
            "vi": (
                "Yên Thịnh là một xã vùng núi của huyện Hữu Lũng, không xa Khu bảo tồn thiên "
                "nhiên Hữu Liên. Cụm homestay Yên Thịnh do các gia đình người Tày, người Nùng "
                "cùng vận hành và đã đạt tiêu chuẩn homestay ASEAN. Các gia đình giữ nếp nhà sàn, "
                "ruộng lúa, vườn cây và những món ăn quen thuộc của xứ Lạng. Khách có thể học "
                "nấu ăn, ra đồng theo mùa vụ hoặc chỉ ngồi hiên nhà ngắm núi đá đổi màu lúc chiều."
            ),
            "en": (
                "Yen Thinh is a mountain commune of Huu Lung district, not far from the Huu Lien "
                "Nature Reserve. The Yen Thinh homestay cluster is run together by Tay and Nung "
                "families and meets the ASEAN homestay standard. The families keep their stilt "
                "houses, rice fields, gardens and the home cooking of Lang Son. Guests can take a "
                "cooking class, join the season's work in the fields, or simply sit on the "
                "veranda and watch the limestone peaks change colour in the evening."
            ),
        },
        "certifications": ["asean_homestay"],
        "bank": {
            "bank_bin": "970415",
            "account_number": "106870123456",
            "account_name": "HTX DU LICH YEN THINH",
        },
        "commission_rate_bp": 1000,
        "community_fund_rate_bp": 500,
        "attractions": [
            {
                "name": {
                    "vi": "Cánh đồng và núi đá Yên Thịnh",
                    "en": "Yen Thinh rice fields and limestone peaks",
                },
                "description": {
                    "vi": (
                        "Ruộng lúa, vườn cây và những khối núi đá vôi quanh thôn, đi bộ hoặc "
                        "đạp xe đều được."
                    ),
                    "en": (
                        "Rice paddies, orchards and limestone outcrops around the village, "
                        "good on foot or by bicycle."
                    ),
                },
                "distance_km": 0,
            },
            {
                "name": {
                    "vi": "Khu bảo tồn thiên nhiên Hữu Liên",
                    "en": "Huu Lien Nature Reserve",
                },
                "description": {
                    "vi": (
                        "Rừng trên núi đá vôi với nhiều loài động thực vật quý, có thể đi bộ "
                        "cùng hướng dẫn viên địa phương."
                    ),
                    "en": (
                        "Forest on limestone mountains with many rare plants and animals, to "
                        "explore with a local guide."
                    ),
                },
                "distance_km": 10,
            },
            {
                "name": {
                    "vi": "Công viên địa chất toàn cầu UNESCO Lạng Sơn",
                    "en": "Lang Son UNESCO Global Geopark",
                },
                "description": {
                    "vi": (
                        "Vùng địa chất được UNESCO công nhận, với cảnh quan karst, hang động và "
                        "di sản văn hoá của các dân tộc xứ Lạng; nhiều điểm nằm quanh thành phố "
                        "Lạng Sơn."
                    ),
                    "en": (
                        "A geopark recognised by UNESCO for its karst landscapes, caves and the "
                        "cultural heritage of Lang Son's ethnic groups; many of its sites lie "
                        "around Lang Son city."
                    ),
                },
                "distance_km": 90,
            },
            {
                "name": {"vi": "Núi Tô Thị", "en": "To Thi mountain"},
                "description": {
                    "vi": (
                        "Ngọn núi gắn với truyền thuyết nàng Tô Thị bồng con chờ chồng, ở thành "
                        "phố Lạng Sơn."
                    ),
                    "en": (
                        "The mountain of the legend of To Thi, the woman who waited for her "
                        "husband with her child in her arms, in Lang Son city."
                    ),
                },
                "distance_km": 90,
            },
            {
                "name": {"vi": "Khu du lịch sinh thái Mẫu Sơn", "en": "Mau Son ecotourism area"},
                "description": {
                    "vi": (
                        "Vùng núi cao ở phía đông tỉnh, mát mẻ quanh năm; mùa đông có năm "
                        "xuất hiện băng giá."
                    ),
                    "en": (
                        "High mountains in the east of the province, cool all year round; in "
                        "some winters the peaks see frost and ice."
                    ),
                },
                "distance_km": 120,
            },
        ],
        "specialties": [
            {"vi": "Thạch đen Tràng Định", "en": "Trang Dinh grass jelly"},
            {"vi": "Bánh cuốn trứng Lạng Sơn", "en": "Lang Son egg rice rolls"},
            {"vi": "Hồng không hạt Bảo Lâm", "en": "Bao Lam seedless persimmons"},
            {"vi": "Vịt quay Lạng Sơn", "en": "Lang Son roasted duck"},
        ],
    },
    {
        "slug": "pac-ngoi",
        "name": {"vi": "Bản Pác Ngòi – hồ Ba Bể", "en": "Pac Ngoi village – Ba Be Lake"},
        "province": "Bắc Kạn",
        "district": "Ba Bể",
        "reference_prefix": "PN",
        "latitude": 22.40,
        "longitude": 105.62,
        "story": {
            "vi": (
                "Pác Ngòi là bản người Tày bên bờ hồ Ba Bể, trong Vườn quốc gia Ba Bể của tỉnh "
                "Bắc Kạn. Những ngôi nhà sàn gỗ nép dưới chân núi, nhìn ra mặt hồ, nơi bà con "
                "vẫn đánh cá và chèo thuyền độc mộc. Nhiều gia đình trong bản đã mở homestay, "
                "đưa khách đi thuyền trên hồ, vào hang Puông và lên động Hua Mạ. Buổi tối, khách "
                "có thể nghe hát then, đàn tính và thưởng thức cá hồ nướng."
            ),
            "en": (
                "Pac Ngoi is a Tay village on the shore of Ba Be Lake, inside Ba Be National "
                "Park in Bac Kan province. Its wooden stilt houses sit at the foot of the "
                "mountains facing the water, where villagers still fish and paddle dugout "
                "canoes. Many families now run homestays and take guests out on the lake, "
                "through Puong Cave and up to Hua Ma Cave. In the evening you can listen to "
                "then singing and the tinh lute over grilled lake fish."
            ),
        },
        "certifications": [],
        "bank": {
            "bank_bin": "970436",
            "account_number": "1023456789012",
            "account_name": "HTX DU LICH CONG DONG PAC NGOI",
        },
        "commission_rate_bp": 1000,
        "community_fund_rate_bp": 500,
        "attractions": [
            {
                "name": {"vi": "Hồ Ba Bể", "en": "Ba Be Lake"},
                "description": {
                    "vi": (
                        "Một trong những hồ nước ngọt tự nhiên lớn nhất Việt Nam, gồm ba nhánh "
                        "Pé Lầm, Pé Lù, Pé Lèng giữa núi đá vôi và rừng của Vườn quốc gia "
                        "Ba Bể."
                    ),
                    "en": (
                        "One of Vietnam's largest natural freshwater lakes, three linked arms "
                        "(Pe Lam, Pe Lu and Pe Leng) between the limestone and forest of Ba Be "
                        "National Park."
                    ),
                },
                "distance_km": 0,
            },
            {
                "name": {"vi": "Đền An Mã", "en": "An Ma temple"},
                "description": {
                    "vi": (
                        "Ngôi đền trên đảo An Mã giữa hồ, nơi diễn ra lễ hội đầu xuân của "
                        "người dân quanh hồ."
                    ),
                    "en": (
                        "A temple on An Ma island in the middle of the lake, where the lakeside "
                        "villages hold their spring festival."
                    ),
                },
                "distance_km": 3,
            },
            {
                "name": {"vi": "Hang Puông", "en": "Puong Cave"},
                "description": {
                    "vi": (
                        "Hang đá vôi lớn có sông Năng chảy xuyên qua; thuyền đi trong lòng hang "
                        "dưới những khối nhũ đá và đàn dơi."
                    ),
                    "en": (
                        "A huge limestone cave with the Nang River running through it; boats "
                        "glide under stalactites and colonies of bats."
                    ),
                },
                "distance_km": 6,
            },
            {
                "name": {"vi": "Động Hua Mạ", "en": "Hua Ma Cave"},
                "description": {
                    "vi": (
                        "Động khô trên sườn núi với nhiều khối nhũ đá lớn; lên động theo lối "
                        "bậc đá."
                    ),
                    "en": (
                        "A dry cave high on a mountainside, full of great stalactites and "
                        "stalagmites, reached by a stone stairway."
                    ),
                },
                "distance_km": 10,
            },
            {
                "name": {"vi": "Thác Đầu Đẳng", "en": "Dau Dang waterfall"},
                "description": {
                    "vi": "Thác nước nhiều bậc trên sông Năng, đi thuyền từ hồ Ba Bể.",
                    "en": "A stepped waterfall on the Nang River, reached by boat from the lake.",
                },
                "distance_km": 15,
            },
            {
                "name": {
                    "vi": "Chợ tình Xuân Dương (Na Rì)",
                    "en": "Xuan Duong love market (Na Ri)",
                },
                "description": {
                    "vi": (
                        "Phiên chợ họp mỗi năm một lần vào ngày 25 tháng Chạp âm lịch ở xã "
                        "Xuân Dương, huyện Na Rì."
                    ),
                    "en": (
                        "A market held once a year, on the 25th day of the 12th lunar month, in "
                        "Xuan Duong commune, Na Ri district."
                    ),
                },
                "distance_km": 150,
            },
        ],
        "specialties": [
            {"vi": "Cá hồ Ba Bể nướng", "en": "Grilled Ba Be lake fish"},
            {"vi": "Cơm lam", "en": "Com lam – sticky rice cooked in bamboo"},
            {"vi": "Bánh coóc mò", "en": "Banh cooc mo – Tay horn-shaped sticky rice cakes"},
            {"vi": "Miến dong Bắc Kạn", "en": "Bac Kan canna-starch glass noodles"},
        ],
    },
]


# --------------------------------------------------------------------------------------------
# Users (the password of every demo account is DEMO_PASSWORD; nationality is ISO 3166-1)
# --------------------------------------------------------------------------------------------

USERS: list[dict] = [
    {
        "email": "admin@demo.test",
        "name": "Quản trị viên",
        "role": "admin",
        "community": None,
        "nationality": "VN",
        "locale": "vi",
    },
    # Huu Lien
    {
        "email": "coop.huulien@demo.test",
        "name": "Hoàng Văn Toàn",
        "role": "coop",
        "community": "huu-lien",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "host.huulien@demo.test",
        "name": "Hoàng Thị Luận",
        "role": "host",
        "community": "huu-lien",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "host2.huulien@demo.test",
        "name": "Lương Văn Thắng",
        "role": "host",
        "community": "huu-lien",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "guide.huulien@demo.test",
        "name": "Nông Văn Hải",
        "role": "guide",
        "community": "huu-lien",
        "nationality": "VN",
        "locale": "vi",
    },
    # Yen Thinh
    {
        "email": "coop.yenthinh@demo.test",
        "name": "Chu Văn Bình",
        "role": "coop",
        "community": "yen-thinh",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "host.yenthinh@demo.test",
        "name": "Lộc Thị Hương",
        "role": "host",
        "community": "yen-thinh",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "host2.yenthinh@demo.test",
        "name": "Vi Văn Dũng",
        "role": "host",
        "community": "yen-thinh",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "guide.yenthinh@demo.test",
        "name": "Lăng Thị Mai",
        "role": "guide",
        "community": "yen-thinh",
        "nationality": "VN",
        "locale": "vi",
    },
    # Pac Ngoi
    {
        "email": "coop.pacngoi@demo.test",
        "name": "Hoàng Văn Thượng",
        "role": "coop",
        "community": "pac-ngoi",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "host.pacngoi@demo.test",
        "name": "Hoàng Thị Nhung",
        "role": "host",
        "community": "pac-ngoi",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "host2.pacngoi@demo.test",
        "name": "Ma Văn Khoa",
        "role": "host",
        "community": "pac-ngoi",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "host3.pacngoi@demo.test",
        "name": "Hà Thị Lan",
        "role": "host",
        "community": "pac-ngoi",
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "guide.pacngoi@demo.test",
        "name": "Nông Văn Thành",
        "role": "guide",
        "community": "pac-ngoi",
        "nationality": "VN",
        "locale": "vi",
    },
    # Tourists
    {
        "email": "tourist@demo.test",
        "name": "Nguyễn Minh Anh",
        "role": "tourist",
        "community": None,
        "nationality": "VN",
        "locale": "vi",
    },
    {
        "email": "minji@demo.test",
        "name": "Kim Min-ji",
        "role": "tourist",
        "community": None,
        "nationality": "KR",
        "locale": "en",
    },
    {
        "email": "emma@demo.test",
        "name": "Emma Clarke",
        "role": "tourist",
        "community": None,
        "nationality": "GB",
        "locale": "en",
    },
]


# --------------------------------------------------------------------------------------------
# Listings
# --------------------------------------------------------------------------------------------

LISTINGS: list[dict] = [
    # ---------------------------------------------------------------- Huu Lien: stays
    {
        "key": "huu-lien-nha-san-ba-luan",
        "community": "huu-lien",
        "kind": "stay",
        "host": "host.huulien@demo.test",
        "title": {
            "vi": "Nhà sàn bà Luận giữa thung lũng Hữu Liên",
            "en": "Mrs Luan's stilt house in the Huu Lien valley",
        },
        "summary": {
            "vi": "Nhà sàn gỗ của gia đình người Tày nhìn ra cánh đồng và núi đá, có cả giường tập thể và phòng riêng.",
            "en": "A Tay family's wooden stilt house facing rice fields and limestone peaks, with dorm beds and private rooms.",
        },
        "description": {
            "vi": (
                "Ngôi nhà sàn của gia đình bà Luận đã gần bốn mươi năm tuổi, dựng bằng gỗ, mái "
                "lợp lá cọ, bốn phía là ruộng lúa và những vách núi đá vôi của Khu bảo tồn thiên "
                "nhiên Hữu Liên. Tầng sàn rộng được chia thành khu ngủ chung trải đệm, có màn, "
                "và hai phòng nhỏ có vách gỗ cho cặp đôi hoặc gia đình.\n\n"
                "Buổi sáng có bánh cuốn hoặc xôi, buổi tối là mâm cơm gia đình với rau vườn, gà "
                "đồi, măng rừng theo mùa. Bà Luận có thể hướng dẫn bạn gói bánh, đồ xôi ngũ sắc "
                "và kể chuyện về những ngày lễ của người Tày.\n\n"
                "Từ nhà đi bộ vài phút là ra cánh đồng; gia đình có xe đạp cho khách mượn để "
                "đi quanh thung lũng. Phòng tắm nước nóng dùng chung ở tầng dưới."
            ),
            "en": (
                "Mrs Luan's family house is a wooden stilt house almost forty years old, roofed "
                "with palm leaves and surrounded by rice fields and the limestone cliffs of the "
                "Huu Lien Nature Reserve. The wide upper floor holds a shared sleeping area with "
                "mattresses and mosquito nets, plus two small wood-walled rooms for couples or "
                "families.\n\n"
                "Breakfast is rice rolls or sticky rice; dinner is a family tray of garden "
                "vegetables, free-range chicken and forest bamboo shoots in season. Mrs Luan is "
                "happy to show you how to wrap rice cakes or steam five-colour sticky rice, and "
                "to talk about Tay festivals.\n\n"
                "The fields are a few minutes' walk away, and the family lends bicycles for "
                "rides around the valley. Shared hot-water bathrooms are downstairs."
            ),
        },
        "house_rules": _STILT_HOUSE_RULES,
        "directions": _HUU_LIEN_DIRECTIONS,
        "latitude": 21.6812,
        "longitude": 106.3488,
        "amenities": [
            "wifi",
            "hot_water",
            "breakfast",
            "dinner",
            "parking",
            "bicycle",
            "mosquito_net",
            "shared_bathroom",
            "family_room",
            "vegetarian",
        ],
        "cancellation_policy": "flexible",
        "payment_methods": ["stripe", "vietqr", "pay_at_arrival"],
        "certifications": ["asean_cbt"],
        "scene": "stilt_house",
        "room_types": [
            {
                "key": "dorm",
                "name": {"vi": "Giường tập thể trên sàn", "en": "Mattress in the shared loft"},
                "units": 6,
                "max_guests": 1,
                "nightly_price": 180000,
                "min_nights": 1,
            },
            {
                "key": "double",
                "name": {"vi": "Phòng đôi vách gỗ", "en": "Wood-walled double room"},
                "units": 2,
                "max_guests": 2,
                "nightly_price": 450000,
                "min_nights": 1,
            },
        ],
        "price_rules": [_WEEKEND, _TET_SEASON],
    },
    {
        "key": "huu-lien-homestay-ong-thang",
        "community": "huu-lien",
        "kind": "stay",
        "host": "host2.huulien@demo.test",
        "title": {
            "vi": "Homestay ông Thắng – nhà bên ruộng lúa",
            "en": "Mr Thang's homestay by the rice fields",
        },
        "summary": {
            "vi": "Phòng riêng có phòng tắm khép kín, hiên nhà nhìn thẳng ra thung lũng karst.",
            "en": "Private rooms with their own bathrooms and a veranda looking straight onto the karst valley.",
        },
        "description": {
            "vi": (
                "Gia đình ông Thắng dựng thêm một dãy phòng thấp bằng gỗ và đá bên cạnh nhà sàn "
                "cũ, dành cho khách muốn có phòng tắm riêng nhưng vẫn sống cùng nhịp làng. Mỗi "
                "phòng có cửa sổ nhìn ra ruộng, quạt, màn và chăn ấm cho những đêm mùa đông.\n\n"
                "Ông Thắng từng làm kiểm lâm, thuộc nhiều lối mòn quanh khu bảo tồn và có thể "
                "giới thiệu hướng dẫn viên của làng. Bữa tối có thể dọn riêng hoặc ăn chung cùng "
                "gia đình, có món chay nếu báo trước.\n\n"
                "Nhà có sân rộng để xe, cách nhà văn hoá thôn khoảng 300 m."
            ),
            "en": (
                "Mr Thang's family has built a low row of timber-and-stone rooms next to their "
                "old stilt house, for guests who want their own bathroom while still living to "
                "the rhythm of the village. Every room has a window onto the fields, a fan, a "
                "mosquito net and warm quilts for winter nights.\n\n"
                "Mr Thang used to work as a forest ranger, knows many of the trails around the "
                "reserve and can introduce you to the village guides. Dinner can be served "
                "separately or shared with the family, with vegetarian dishes on request.\n\n"
                "There is a large yard for parking; the village cultural house is about 300 m "
                "away."
            ),
        },
        "house_rules": _HOMESTAY_RULES,
        "directions": _HUU_LIEN_DIRECTIONS,
        "latitude": 21.6838,
        "longitude": 106.3521,
        "amenities": [
            "wifi",
            "hot_water",
            "breakfast",
            "dinner",
            "parking",
            "mosquito_net",
            "private_bathroom",
            "vegetarian",
            "laundry",
        ],
        "cancellation_policy": "moderate",
        "payment_methods": ["stripe", "vietqr"],
        "certifications": ["asean_cbt"],
        "scene": "karst",
        "room_types": [
            {
                "key": "double",
                "name": {"vi": "Phòng đôi nhìn ra ruộng", "en": "Double room with field view"},
                "units": 3,
                "max_guests": 2,
                "nightly_price": 550000,
                "min_nights": 1,
            },
            {
                "key": "family",
                "name": {"vi": "Phòng gia đình", "en": "Family room"},
                "units": 1,
                "max_guests": 4,
                "nightly_price": 850000,
                "min_nights": 1,
            },
        ],
        "price_rules": [_WEEKEND, _TET_SEASON],
    },
    {
        "key": "huu-lien-nha-san-ven-rung",
        "community": "huu-lien",
        "kind": "stay",
        "host": "host.huulien@demo.test",
        "title": {
            "vi": "Nhà sàn ven rừng – thuê nguyên căn",
            "en": "Forest-edge stilt house – the whole house",
        },
        "summary": {
            "vi": "Nguyên căn nhà sàn cho nhóm đến 10 người, sát bìa rừng khu bảo tồn, ở tối thiểu 2 đêm.",
            "en": "A whole stilt house for groups of up to 10 at the edge of the reserve's forest; two nights minimum.",
        },
        "description": {
            "vi": (
                "Ngôi nhà sàn thứ hai của gia đình bà Luận nằm cuối thôn, sát bìa rừng, chỉ cho "
                "một nhóm khách thuê mỗi lần. Tầng trên là một gian rộng trải đệm, có màn và "
                "bếp lửa; tầng dưới có bếp nấu, hai phòng tắm nước nóng và chỗ để xe.\n\n"
                "Nhà hợp với gia đình đông người, nhóm bạn hoặc lớp học ngoại khoá muốn ở vài ngày "
                "để đi bộ trong rừng và ngủ trong tiếng côn trùng. Bữa ăn do gia đình nấu và mang "
                "sang, hoặc bạn tự nấu với rau trong vườn.\n\n"
                "Vì chỉ có một căn, ngày cuối tuần và dịp Tết thường kín chỗ sớm."
            ),
            "en": (
                "The Luan family's second stilt house stands at the end of the village against "
                "the forest edge and is let to one group at a time. Upstairs is one large room "
                "with mattresses, mosquito nets and a fire hearth; downstairs are a kitchen, two "
                "hot-water bathrooms and space for motorbikes.\n\n"
                "It suits big families, groups of friends or school trips who want a few days of "
                "forest walks and nights full of insect song. Meals are cooked by the family and "
                "brought over, or you can cook yourselves with vegetables from the garden.\n\n"
                "There is only one house, so weekends and Tet fill up early."
            ),
        },
        "house_rules": _STILT_HOUSE_RULES,
        "directions": _HUU_LIEN_DIRECTIONS,
        "latitude": 21.6869,
        "longitude": 106.3447,
        "amenities": [
            "hot_water",
            "breakfast",
            "dinner",
            "parking",
            "mosquito_net",
            "shared_bathroom",
            "family_room",
            "guide",
        ],
        "cancellation_policy": "strict",
        "payment_methods": ["vietqr", "pay_at_arrival"],
        "certifications": ["asean_cbt"],
        "scene": "karst",
        "room_types": [
            {
                "key": "whole_house",
                "name": {"vi": "Nguyên căn nhà sàn", "en": "The whole stilt house"},
                "units": 1,
                "max_guests": 10,
                "nightly_price": 1500000,
                "min_nights": 2,
            },
        ],
        "price_rules": [_WEEKEND, _TET_SEASON],
    },
    # ---------------------------------------------------------------- Huu Lien: tours
    {
        "key": "huu-lien-trek-thung-lung-karst",
        "community": "huu-lien",
        "kind": "tour",
        "host": "host.huulien@demo.test",
        "title": {
            "vi": "Đi bộ thung lũng karst Hữu Liên",
            "en": "Huu Lien karst valley trek",
        },
        "summary": {
            "vi": "Bốn giờ đi bộ cùng hướng dẫn viên người Tày qua ruộng lúa, bìa rừng và chân núi đá vôi.",
            "en": "Four hours on foot with a Tay guide through rice fields, forest edges and the foot of limestone cliffs.",
        },
        "description": {
            "vi": (
                "Hành trình bắt đầu từ nhà văn hoá thôn, men theo bờ ruộng và suối nhỏ vào sâu "
                "thung lũng, nơi các vách đá vôi dựng đứng hai bên. Hướng dẫn viên giới thiệu cây "
                "thuốc, cách bà con làm ruộng bậc nhỏ ven núi và những loài chim thường gặp ở bìa "
                "rừng.\n\n"
                "Giữa đường, đoàn nghỉ ở một nhà sàn để uống trà và ăn nhẹ. Lộ trình khoảng "
                "8 km, phần lớn bằng phẳng, có vài đoạn dốc ngắn và lầy sau mưa.\n\n"
                "Phù hợp với người có sức khoẻ bình thường và trẻ em từ 10 tuổi."
            ),
            "en": (
                "The walk starts at the village cultural house and follows paddy dikes and a "
                "small stream deep into the valley, where limestone cliffs rise sheer on both "
                "sides. Your guide points out medicinal plants, shows how families farm the "
                "small fields at the foot of the mountains, and names the birds of the forest "
                "edge.\n\n"
                "Halfway, the group rests at a stilt house for tea and a snack. The route is "
                "about 8 km, mostly flat, with a few short climbs that get muddy after rain.\n\n"
                "Suitable for anyone of ordinary fitness and children from 10 years old."
            ),
        },
        "house_rules": _TOUR_RULES,
        "directions": _HUU_LIEN_DIRECTIONS,
        "latitude": 21.6825,
        "longitude": 106.3502,
        "amenities": ["guide", "vegetarian"],
        "cancellation_policy": "flexible",
        "payment_methods": ["stripe", "vietqr", "pay_at_arrival"],
        "certifications": ["asean_cbt"],
        "scene": "karst",
        "tour": {
            "duration_minutes": 240,
            "meeting_point": {
                "vi": "Nhà văn hoá thôn, trung tâm xã Hữu Liên",
                "en": "The village cultural house in the centre of Huu Lien commune",
            },
            "capacity": 12,
            "price_per_person": 350000,
            "weekdays": [5, 6],
            "dates": [],
            "start_time": "07:30",
            "guide": "guide.huulien@demo.test",
        },
    },
    {
        "key": "huu-lien-dap-xe-dong-lam",
        "community": "huu-lien",
        "kind": "tour",
        "host": "host2.huulien@demo.test",
        "title": {
            "vi": "Đạp xe ra thảo nguyên Đồng Lâm lúc hoàng hôn",
            "en": "Sunset cycle to the Dong Lam grassland",
        },
        "summary": {
            "vi": "Buổi chiều đạp xe qua làng và cánh đồng tới thảo nguyên Đồng Lâm, ngắm hoàng hôn giữa vòng núi.",
            "en": "An afternoon ride through villages and fields to the Dong Lam grassland for sunset among the mountains.",
        },
        "description": {
            "vi": (
                "Đoàn xuất phát đầu giờ chiều bằng xe đạp địa hình của làng, đi trên đường bê "
                "tông và đường đất qua các thôn, ruộng lúa và vườn na. Hướng dẫn viên dừng lại ở "
                "những điểm ngắm cảnh đẹp và kể về cuộc sống của người Tày, người Nùng bên khu "
                "bảo tồn.\n\n"
                "Tới Đồng Lâm, bạn có thời gian đi dạo trên đồng cỏ, chụp ảnh đàn trâu bò và chờ "
                "mặt trời lặn sau dãy núi. Đoàn về bằng xe đạp có đèn, hoặc xe ô tô chở người và "
                "xe nếu bạn mệt.\n\n"
                "Giá đã gồm xe đạp, mũ bảo hiểm, nước uống và hoa quả theo mùa."
            ),
            "en": (
                "The group sets off in the early afternoon on the village's mountain bikes, "
                "riding concrete lanes and dirt tracks past hamlets, rice fields and custard-apple "
                "orchards. Your guide stops at the best viewpoints and talks about the lives of "
                "the Tay and Nung families who live beside the reserve.\n\n"
                "At Dong Lam there is time to wander the grassland, photograph the grazing "
                "buffalo and watch the sun go down behind the mountains. You ride back with "
                "lights, or a van carries riders and bikes if you are tired.\n\n"
                "The price includes the bicycle, a helmet, water and seasonal fruit."
            ),
        },
        "house_rules": _TOUR_RULES,
        "directions": _HUU_LIEN_DIRECTIONS,
        "latitude": 21.6840,
        "longitude": 106.3525,
        "amenities": ["guide", "bicycle"],
        "cancellation_policy": "moderate",
        "payment_methods": ["stripe", "vietqr"],
        "certifications": ["asean_cbt"],
        "scene": "terraces",
        "tour": {
            "duration_minutes": 300,
            "meeting_point": {
                "vi": "Sân nhà ông Thắng (Homestay ông Thắng)",
                "en": "The yard of Mr Thang's homestay",
            },
            "capacity": 10,
            "price_per_person": 450000,
            "weekdays": [2, 5, 6],
            "dates": [],
            "start_time": "13:30",
            "guide": "guide.huulien@demo.test",
        },
    },
    # ---------------------------------------------------------------- Yen Thinh: stays
    {
        "key": "yen-thinh-nha-san-ba-huong",
        "community": "yen-thinh",
        "kind": "stay",
        "host": "host.yenthinh@demo.test",
        "title": {
            "vi": "Nhà sàn bà Hương – Yên Thịnh",
            "en": "Mrs Huong's stilt house – Yen Thinh",
        },
        "summary": {
            "vi": "Nhà sàn truyền thống đạt tiêu chuẩn homestay ASEAN, có giường tập thể và phòng đôi, ăn cơm cùng gia đình.",
            "en": "A traditional stilt house meeting the ASEAN homestay standard, with dorm beds and double rooms and family meals.",
        },
        "description": {
            "vi": (
                "Nhà sàn của bà Hương là một trong những ngôi nhà đầu tiên của cụm homestay Yên "
                "Thịnh đón khách. Gian giữa vẫn đặt bàn thờ tổ tiên và bếp lửa; khách ngủ trên sàn "
                "gỗ rộng với đệm dày, màn và chăn sạch, hoặc ở một trong hai phòng đôi có cửa.\n\n"
                "Bà Hương nấu ăn ngon, đặc biệt là khâu nhục và các món rau rừng. Mùa cấy và mùa "
                "gặt, khách có thể theo gia đình ra đồng; những ngày khác có thể đi dạo quanh thôn "
                "hoặc mượn xe đạp.\n\n"
                "Phòng tắm nước nóng dùng chung, sạch sẽ, ở ngay dưới nhà."
            ),
            "en": (
                "Mrs Huong's stilt house was one of the first in the Yen Thinh cluster to welcome "
                "guests. The central room still holds the ancestral altar and the fire hearth; "
                "guests sleep on the wide wooden floor on thick mattresses with nets and fresh "
                "quilts, or in one of two double rooms with doors.\n\n"
                "Mrs Huong is a fine cook, known for her khau nhuc and wild greens. At planting "
                "and harvest time you can follow the family to the fields; other days you can "
                "stroll around the village or borrow a bicycle.\n\n"
                "The shared hot-water bathrooms are clean and right below the house."
            ),
        },
        "house_rules": _STILT_HOUSE_RULES,
        "directions": _YEN_THINH_DIRECTIONS,
        "latitude": 21.6412,
        "longitude": 106.2911,
        "amenities": [
            "wifi",
            "hot_water",
            "breakfast",
            "dinner",
            "parking",
            "bicycle",
            "mosquito_net",
            "shared_bathroom",
            "vegetarian",
        ],
        "cancellation_policy": "flexible",
        "payment_methods": ["stripe", "vietqr", "pay_at_arrival"],
        "certifications": ["asean_homestay"],
        "scene": "stilt_house",
        "room_types": [
            {
                "key": "dorm",
                "name": {"vi": "Giường tập thể", "en": "Dorm bed"},
                "units": 6,
                "max_guests": 1,
                "nightly_price": 170000,
                "min_nights": 1,
            },
            {
                "key": "double",
                "name": {"vi": "Phòng đôi", "en": "Double room"},
                "units": 2,
                "max_guests": 2,
                "nightly_price": 400000,
                "min_nights": 1,
            },
        ],
        "price_rules": [_WEEKEND, _TET_SEASON],
    },
    {
        "key": "yen-thinh-homestay-ong-dung",
        "community": "yen-thinh",
        "kind": "stay",
        "host": "host2.yenthinh@demo.test",
        "title": {
            "vi": "Homestay ông Dũng – một phòng gia đình",
            "en": "Mr Dung's homestay – one family room",
        },
        "summary": {
            "vi": "Chỉ một phòng gia đình riêng tư trong nhà người Nùng, yên tĩnh, có phòng tắm riêng.",
            "en": "A single private family room in a Nung home: quiet, with its own bathroom.",
        },
        "description": {
            "vi": (
                "Gia đình ông Dũng chỉ dành một phòng để đón khách, nên mỗi đêm chỉ có một gia "
                "đình hoặc một nhóm nhỏ ở cùng. Phòng có một giường đôi và một giường tầng, "
                "phòng tắm riêng nước nóng và cửa sổ nhìn ra vườn.\n\n"
                "Ông Dũng trồng na và rau, bà nhà làm bánh theo mùa; khách được mời nếm những gì "
                "đang có trong vườn. Buổi tối, cả nhà thường ngồi quanh bếp lửa kể chuyện làng.\n\n"
                "Vì chỉ có một phòng, xin đặt sớm vào cuối tuần và mùa lễ hội."
            ),
            "en": (
                "Mr Dung's family keeps just one room for guests, so each night there is only one "
                "family or small group staying. The room has a double bed and a bunk bed, its own "
                "hot-water bathroom and a window onto the garden.\n\n"
                "Mr Dung grows custard apples and vegetables and his wife makes seasonal cakes; "
                "guests are invited to taste whatever the garden is giving. In the evening the "
                "family often gathers around the hearth to tell village stories.\n\n"
                "With only one room, please book early for weekends and festival season."
            ),
        },
        "house_rules": _HOMESTAY_RULES,
        "directions": _YEN_THINH_DIRECTIONS,
        "latitude": 21.6398,
        "longitude": 106.2879,
        "amenities": [
            "wifi",
            "hot_water",
            "breakfast",
            "dinner",
            "parking",
            "private_bathroom",
            "family_room",
            "mosquito_net",
        ],
        "cancellation_policy": "moderate",
        "payment_methods": ["stripe", "vietqr"],
        "certifications": ["asean_homestay"],
        "scene": "terraces",
        "room_types": [
            {
                "key": "family",
                "name": {"vi": "Phòng gia đình", "en": "Family room"},
                "units": 1,
                "max_guests": 4,
                "nightly_price": 700000,
                "min_nights": 1,
            },
        ],
        "price_rules": [_WEEKEND, _TET_SEASON],
    },
    {
        "key": "yen-thinh-nha-vuon-na",
        "community": "yen-thinh",
        "kind": "stay",
        "host": "host.yenthinh@demo.test",
        "title": {
            "vi": "Nhà vườn na – phòng đôi và phòng gia đình",
            "en": "Custard-apple garden house – twin and family rooms",
        },
        "summary": {
            "vi": "Nhà gỗ giữa vườn na dưới chân núi đá, phòng riêng có phòng tắm khép kín, hợp với gia đình có trẻ nhỏ.",
            "en": "A timber house in a custard-apple orchard below the cliffs, private rooms with bathrooms, good for families with children.",
        },
        "description": {
            "vi": (
                "Cách nhà sàn chính vài trăm mét, gia đình bà Hương có một ngôi nhà gỗ nằm giữa "
                "vườn na, lưng tựa vào núi đá vôi. Nhà có hai phòng hai giường đơn và hai phòng "
                "gia đình, tất cả đều có phòng tắm riêng và hiên nhỏ.\n\n"
                "Mùa na chín (khoảng tháng 7 đến tháng 9), khách có thể cùng gia đình hái na. "
                "Bữa ăn được nấu ở nhà sàn chính và mang sang, hoặc bạn sang ăn cùng các khách "
                "khác.\n\n"
                "Sân rộng, an toàn cho trẻ em chạy chơi; ô tô đỗ được ngay trong vườn."
            ),
            "en": (
                "A few hundred metres from the main stilt house, Mrs Huong's family has a timber "
                "house in the middle of a custard-apple orchard with a limestone cliff behind "
                "it. There are two twin rooms and two family rooms, each with its own bathroom "
                "and a small veranda.\n\n"
                "When the custard apples ripen (roughly July to September) you can pick them "
                "with the family. Meals are cooked in the main stilt house and brought over, or "
                "you can walk across and eat with the other guests.\n\n"
                "The big yard is safe for children to play in, and cars can park inside the "
                "orchard."
            ),
        },
        "house_rules": _HOMESTAY_RULES,
        "directions": _YEN_THINH_DIRECTIONS,
        "latitude": 21.6431,
        "longitude": 106.2937,
        "amenities": [
            "wifi",
            "hot_water",
            "breakfast",
            "dinner",
            "parking",
            "air_conditioning",
            "private_bathroom",
            "family_room",
            "laundry",
        ],
        "cancellation_policy": "moderate",
        "payment_methods": ["stripe", "vietqr", "pay_at_arrival"],
        "certifications": ["asean_homestay"],
        "scene": "karst",
        "room_types": [
            {
                "key": "twin",
                "name": {"vi": "Phòng hai giường đơn", "en": "Twin room"},
                "units": 2,
                "max_guests": 2,
                "nightly_price": 450000,
                "min_nights": 1,
            },
            {
                "key": "family",
                "name": {"vi": "Phòng gia đình", "en": "Family room"},
                "units": 2,
                "max_guests": 4,
                "nightly_price": 750000,
                "min_nights": 1,
            },
        ],
        "price_rules": [_WEEKEND, _TET_SEASON],
    },
    # ---------------------------------------------------------------- Yen Thinh: tour
    {
        "key": "yen-thinh-lop-nau-an-dong-lua",
        "community": "yen-thinh",
        "kind": "tour",
        "host": "host.yenthinh@demo.test",
        "title": {
            "vi": "Ra đồng và học nấu món Tày, Nùng",
            "en": "Rice fields and a Tay and Nung cooking class",
        },
        "summary": {
            "vi": "Một buổi sáng ra đồng, hái rau trong vườn rồi cùng nấu và ăn mâm cơm xứ Lạng.",
            "en": "A morning in the fields and the garden, then cooking and sharing a Lang Son family meal.",
        },
        "description": {
            "vi": (
                "Buổi học bắt đầu bằng một vòng đi bộ ra cánh đồng: tuỳ mùa, bạn sẽ thấy bà con "
                "cày bừa, cấy lúa, làm cỏ hay gặt lúa, và có thể thử sức cùng họ. Trên đường về, "
                "cả nhóm hái rau, lá gói và lá nhuộm xôi trong vườn.\n\n"
                "Trong bếp, hướng dẫn viên cùng các bà, các mẹ chỉ cách đồ xôi ngũ sắc nhuộm màu "
                "từ lá cây, làm một món rau rừng và một món thịt theo cách của người Tày, người "
                "Nùng. Bữa trưa là chính những món bạn vừa nấu.\n\n"
                "Có thực đơn chay nếu báo trước. Giá đã gồm nguyên liệu, tạp dề và công thức "
                "in song ngữ mang về."
            ),
            "en": (
                "The class begins with a walk to the fields: depending on the season you will "
                "see families ploughing, planting, weeding or harvesting rice, and can try your "
                "hand alongside them. On the way back the group picks vegetables, wrapping "
                "leaves and the leaves used to colour sticky rice.\n\n"
                "In the kitchen, your guide and the village women show you how to steam "
                "five-colour sticky rice dyed with plant leaves, cook a dish of wild greens and "
                "a Tay or Nung meat dish. Lunch is what you have just cooked.\n\n"
                "A vegetarian menu is available on request. The price includes ingredients, an "
                "apron and a bilingual printed recipe to take home."
            ),
        },
        "house_rules": _TOUR_RULES,
        "directions": _YEN_THINH_DIRECTIONS,
        "latitude": 21.6412,
        "longitude": 106.2911,
        "amenities": ["guide", "vegetarian"],
        "cancellation_policy": "flexible",
        "payment_methods": ["stripe", "vietqr", "pay_at_arrival"],
        "certifications": ["asean_homestay"],
        "scene": "terraces",
        "tour": {
            "duration_minutes": 210,
            "meeting_point": {
                "vi": "Nhà sàn bà Hương, thôn trung tâm xã Yên Thịnh",
                "en": "Mrs Huong's stilt house in the central hamlet of Yen Thinh commune",
            },
            "capacity": 10,
            "price_per_person": 380000,
            "weekdays": [1, 3, 5, 6],
            "dates": [],
            "start_time": "08:30",
            "guide": "guide.yenthinh@demo.test",
        },
    },
    # ---------------------------------------------------------------- Pac Ngoi: stays
    {
        "key": "pac-ngoi-nha-san-ben-ho",
        "community": "pac-ngoi",
        "kind": "stay",
        "host": "host.pacngoi@demo.test",
        "title": {
            "vi": "Nhà sàn bên hồ – bản Pác Ngòi",
            "en": "Lakeside stilt house – Pac Ngoi village",
        },
        "summary": {
            "vi": "Nhà sàn Tày sát mép hồ Ba Bể, giường tập thể và phòng đôi, có kayak cho khách.",
            "en": "A Tay stilt house right at the edge of Ba Be Lake, dorm beds and doubles, kayaks for guests.",
        },
        "description": {
            "vi": (
                "Nhà sàn của gia đình chị Nhung nằm ở rìa bản, ban công nhìn thẳng ra mặt hồ Ba "
                "Bể và dãy núi bên kia. Tầng trên có khu ngủ chung với đệm, màn và rèm che cho "
                "từng chỗ, cùng hai phòng đôi nhỏ có cửa riêng.\n\n"
                "Buổi sáng, sương thường phủ kín mặt hồ; gia đình có kayak và áo phao để khách "
                "chèo gần bờ. Bữa tối có cá hồ nướng, rau cải trồng bên hồ, măng và cơm lam. Chị "
                "Nhung có thể đặt thuyền đi hang Puông, đền An Mã hoặc thác Đầu Đẳng cho bạn.\n\n"
                "Buổi tối cuối tuần, nhóm văn nghệ của bản đôi khi hát then, đàn tính cho khách "
                "nghe ở nhà văn hoá."
            ),
            "en": (
                "Ms Nhung's family stilt house stands at the edge of the village, its balcony "
                "looking straight across Ba Be Lake to the mountains beyond. Upstairs there is a "
                "shared sleeping area with mattresses, nets and a curtain for each place, and two "
                "small double rooms with their own doors.\n\n"
                "Mornings often bring mist over the water; the family keeps kayaks and life "
                "jackets for paddling near the shore. Dinner is grilled lake fish, greens grown "
                "by the lake, bamboo shoots and rice cooked in bamboo. Ms Nhung can book a boat "
                "for Puong Cave, An Ma temple or Dau Dang waterfall.\n\n"
                "On some weekend evenings the village troupe sings then and plays the tinh lute "
                "for guests at the cultural house."
            ),
        },
        "house_rules": _LAKE_HOUSE_RULES,
        "directions": _PAC_NGOI_DIRECTIONS,
        "latitude": 22.4032,
        "longitude": 105.6178,
        "amenities": [
            "wifi",
            "hot_water",
            "breakfast",
            "dinner",
            "parking",
            "kayak",
            "mosquito_net",
            "shared_bathroom",
            "vegetarian",
        ],
        "cancellation_policy": "flexible",
        "payment_methods": ["stripe", "vietqr", "pay_at_arrival"],
        "certifications": [],
        "scene": "lake",
        "room_types": [
            {
                "key": "dorm",
                "name": {"vi": "Giường tập thể nhìn ra hồ", "en": "Dorm bed with lake view"},
                "units": 6,
                "max_guests": 1,
                "nightly_price": 200000,
                "min_nights": 1,
            },
            {
                "key": "double",
                "name": {"vi": "Phòng đôi", "en": "Double room"},
                "units": 2,
                "max_guests": 2,
                "nightly_price": 500000,
                "min_nights": 1,
            },
        ],
        "price_rules": [_WEEKEND, _LAKE_SUMMER, _TET_SEASON],
    },
    {
        "key": "pac-ngoi-homestay-ong-khoa",
        "community": "pac-ngoi",
        "kind": "stay",
        "host": "host2.pacngoi@demo.test",
        "title": {
            "vi": "Homestay ông Khoa – phòng riêng nhìn ra hồ",
            "en": "Mr Khoa's homestay – a private lake-view room",
        },
        "summary": {
            "vi": "Một phòng đôi duy nhất có phòng tắm riêng và cửa sổ nhìn ra hồ, chủ nhà là người lái thuyền lâu năm.",
            "en": "One double room with its own bathroom and a window on the lake; your host is a long-time boatman.",
        },
        "description": {
            "vi": (
                "Ông Khoa đã lái thuyền trên hồ Ba Bể hơn hai mươi năm. Gia đình ông sửa lại "
                "một gian của nhà sàn thành phòng đôi cho khách, có phòng tắm riêng nước nóng và "
                "cửa sổ gỗ mở ra mặt hồ.\n\n"
                "Nếu bạn muốn, ông Khoa đưa bạn đi thuyền sớm để xem bà con kéo lưới, hoặc chiều "
                "muộn khi mặt hồ lặng. Bữa ăn do bà Khoa nấu, thường có cá hồ, rau rừng và bánh "
                "coóc mò vào dịp lễ.\n\n"
                "Chỉ có một phòng, nên rất yên tĩnh; xin đặt sớm trong mùa hè."
            ),
            "en": (
                "Mr Khoa has been steering boats on Ba Be Lake for more than twenty years. His "
                "family has turned one room of their stilt house into a double for guests, with "
                "a private hot-water bathroom and a wooden window opening onto the lake.\n\n"
                "If you like, Mr Khoa will take you out early to watch the fishermen haul their "
                "nets, or late in the afternoon when the water is still. Meals are cooked by his "
                "wife, usually lake fish, wild greens and, at festival time, banh cooc mo.\n\n"
                "There is only one room, so it is very quiet; book early in summer."
            ),
        },
        "house_rules": _LAKE_HOUSE_RULES,
        "directions": _PAC_NGOI_DIRECTIONS,
        "latitude": 22.4018,
        "longitude": 105.6193,
        "amenities": [
            "wifi",
            "hot_water",
            "breakfast",
            "dinner",
            "private_bathroom",
            "mosquito_net",
            "guide",
        ],
        "cancellation_policy": "moderate",
        "payment_methods": ["stripe", "vietqr"],
        "certifications": [],
        "scene": "stilt_house",
        "room_types": [
            {
                "key": "lake_view",
                "name": {"vi": "Phòng đôi nhìn ra hồ", "en": "Lake-view double room"},
                "units": 1,
                "max_guests": 2,
                "nightly_price": 600000,
                "min_nights": 1,
            },
        ],
        "price_rules": [_WEEKEND, _LAKE_SUMMER, _TET_SEASON],
    },
    {
        "key": "pac-ngoi-nha-san-chi-lan",
        "community": "pac-ngoi",
        "kind": "stay",
        "host": "host3.pacngoi@demo.test",
        "title": {
            "vi": "Nhà sàn chị Lan – phòng gia đình",
            "en": "Ms Lan's stilt house – family rooms",
        },
        "summary": {
            "vi": "Hai phòng gia đình rộng trong nhà sàn mới dựng theo lối cũ, ở tối thiểu 2 đêm.",
            "en": "Two spacious family rooms in a new stilt house built the old way; two nights minimum.",
        },
        "description": {
            "vi": (
                "Nhà sàn của chị Lan mới được dựng lại bằng gỗ theo đúng kiểu nhà Tày truyền "
                "thống, với hai phòng gia đình rộng, mỗi phòng ngủ được năm người. Ban công chung "
                "nhìn ra ruộng ngô và con đường xuống bến thuyền.\n\n"
                "Chị Lan đề nghị khách ở ít nhất hai đêm để có trọn một ngày đi thuyền trên hồ và "
                "một buổi lên động Hua Mạ mà không phải vội. Gia đình nấu ba bữa, có món cho trẻ "
                "nhỏ và món chay nếu báo trước.\n\n"
                "Có máy giặt và dây phơi; bến thuyền cách nhà khoảng 10 phút đi bộ."
            ),
            "en": (
                "Ms Lan's stilt house has been rebuilt in timber in the traditional Tay style, "
                "with two large family rooms that sleep five each. The shared balcony overlooks "
                "maize fields and the path down to the boat landing.\n\n"
                "Ms Lan asks guests to stay at least two nights, so there is time for a full day "
                "on the lake and an unhurried walk up to Hua Ma Cave. The family cooks three "
                "meals a day, with dishes for small children and vegetarian food on request.\n\n"
                "There is a washing machine and a drying line; the boat landing is about a "
                "10-minute walk away."
            ),
        },
        "house_rules": _LAKE_HOUSE_RULES,
        "directions": _PAC_NGOI_DIRECTIONS,
        "latitude": 22.4045,
        "longitude": 105.6160,
        "amenities": [
            "hot_water",
            "breakfast",
            "dinner",
            "parking",
            "family_room",
            "mosquito_net",
            "shared_bathroom",
            "vegetarian",
            "laundry",
        ],
        "cancellation_policy": "strict",
        "payment_methods": ["vietqr", "pay_at_arrival"],
        "certifications": [],
        "scene": "lake",
        "room_types": [
            {
                "key": "family",
                "name": {"vi": "Phòng gia đình", "en": "Family room"},
                "units": 2,
                "max_guests": 5,
                "nightly_price": 900000,
                "min_nights": 2,
            },
        ],
        "price_rules": [_WEEKEND, _LAKE_SUMMER, _TET_SEASON],
    },
    # ---------------------------------------------------------------- Pac Ngoi: tours
    {
        "key": "pac-ngoi-thuyen-ho-ba-be-hang-puong",
        "community": "pac-ngoi",
        "kind": "tour",
        "host": "host2.pacngoi@demo.test",
        "title": {
            "vi": "Đi thuyền hồ Ba Bể và hang Puông",
            "en": "Ba Be Lake boat trip to Puong Cave",
        },
        "summary": {
            "vi": "Nửa ngày đi thuyền máy qua ba nhánh hồ, ghé đền An Mã và đi xuyên hang Puông.",
            "en": "Half a day by motorboat across the lake's three arms, with a stop at An Ma temple and a ride through Puong Cave.",
        },
        "description": {
            "vi": (
                "Thuyền rời bến Pác Ngòi, đi qua các nhánh Pé Lầm, Pé Lù, Pé Lèng, nơi vách núi "
                "đá vôi phủ rừng soi bóng xuống mặt nước. Đoàn dừng ở đảo An Mã để thăm đền và "
                "nghe hướng dẫn viên kể truyền thuyết về sự tích hồ Ba Bể.\n\n"
                "Sau đó thuyền theo sông Năng vào hang Puông: lòng hang cao rộng, nhũ đá rủ "
                "xuống và đàn dơi bay khi thuyền đi qua. Trên đường về, thuyền ghé một bản nhỏ "
                "ven hồ để xem bà con dệt vải hoặc đánh cá.\n\n"
                "Giá đã gồm thuyền, áo phao, hướng dẫn viên và nước uống; chưa gồm vé vào Vườn "
                "quốc gia."
            ),
            "en": (
                "The boat leaves the Pac Ngoi landing and crosses the Pe Lam, Pe Lu and Pe Leng "
                "arms, where forested limestone walls are mirrored in the water. The group stops "
                "on An Ma island to visit the temple and hear the guide tell the legend of how "
                "Ba Be Lake was born.\n\n"
                "The boat then follows the Nang River into Puong Cave: a vast, high chamber "
                "hung with stalactites, where bats take flight as you pass. On the way back you "
                "call at a small lakeside hamlet to watch weaving or fishing.\n\n"
                "The price includes the boat, life jackets, guide and water; national park "
                "tickets are extra."
            ),
        },
        "house_rules": _TOUR_RULES,
        "directions": _PAC_NGOI_DIRECTIONS,
        "latitude": 22.4025,
        "longitude": 105.6185,
        "amenities": ["guide"],
        "cancellation_policy": "flexible",
        "payment_methods": ["stripe", "vietqr", "pay_at_arrival"],
        "certifications": [],
        "scene": "cave",
        "tour": {
            "duration_minutes": 240,
            "meeting_point": {
                "vi": "Bến thuyền bản Pác Ngòi",
                "en": "The boat landing of Pac Ngoi village",
            },
            "capacity": 12,
            "price_per_person": 350000,
            "weekdays": [0, 1, 2, 3, 4, 5, 6],
            "dates": [],
            "start_time": "08:00",
            "guide": "guide.pacngoi@demo.test",
        },
    },
    {
        "key": "pac-ngoi-cho-tinh-xuan-duong",
        "community": "pac-ngoi",
        "kind": "tour",
        "host": "host.pacngoi@demo.test",
        "title": {
            "vi": "Chuyến đi chợ tình Xuân Dương (Na Rì)",
            "en": "Trip to the Xuan Duong love market (Na Ri)",
        },
        "summary": {
            "vi": "Chuyến đi trong ngày tới phiên chợ tình Xuân Dương, họp mỗi năm một lần vào ngày 25 tháng Chạp âm lịch.",
            "en": "A day trip to the Xuan Duong love market, held once a year on the 25th day of the 12th lunar month.",
        },
        "description": {
            "vi": (
                "Chợ tình Xuân Dương ở huyện Na Rì chỉ họp một ngày trong năm, vào ngày 25 tháng "
                "Chạp âm lịch, ngay trước Tết. Người Tày, Nùng, Dao từ các bản quanh vùng mặc áo "
                "đẹp về chợ để gặp gỡ, hát giao duyên, mua sắm Tết; chợ là dịp đặc biệt để thấy "
                "một nét văn hoá mùa xuân của Bắc Kạn.\n\n"
                "Xe rời Pác Ngòi từ sáng sớm, đi khoảng bốn giờ đường núi. Hướng dẫn viên người "
                "Tày đi cùng suốt chuyến, giải thích phong tục và giúp bạn trò chuyện với người "
                "bán hàng. Đoàn ăn trưa tại chợ và về lại bản vào buổi tối.\n\n"
                "Giá đã gồm xe, hướng dẫn viên và bữa trưa. Hãy tôn trọng người dân: hỏi trước "
                "khi chụp ảnh và không làm phiền các cuộc hát đối đáp."
            ),
            "en": (
                "The Xuan Duong love market in Na Ri district meets on just one day a year, the "
                "25th day of the 12th lunar month, right before Tet. Tay, Nung and Dao people "
                "from the surrounding villages come in their finest clothes to meet, sing "
                "call-and-response love songs and shop for the new year; it is a rare chance to "
                "see a springtime tradition of Bac Kan.\n\n"
                "The van leaves Pac Ngoi early in the morning for about four hours of mountain "
                "roads. A Tay guide stays with you all day, explains the customs and helps you "
                "talk with the stallholders. Lunch is at the market, and you are back in the "
                "village in the evening.\n\n"
                "The price includes transport, guide and lunch. Please respect the villagers: "
                "ask before taking photos and do not interrupt the singing."
            ),
        },
        "house_rules": _TOUR_RULES,
        "directions": _PAC_NGOI_DIRECTIONS,
        "latitude": 22.4032,
        "longitude": 105.6178,
        "amenities": ["guide", "vegetarian"],
        "cancellation_policy": "strict",
        "payment_methods": ["stripe", "vietqr"],
        "certifications": [],
        "scene": "market",
        "tour": {
            "duration_minutes": 840,
            "meeting_point": {
                "vi": "Sân nhà văn hoá bản Pác Ngòi",
                "en": "The yard of the Pac Ngoi village cultural house",
            },
            "capacity": 14,
            "price_per_person": 850000,
            "weekdays": [],
            # the 25th day of the 12th lunar month
            "dates": ["2027-02-01", "2028-01-21"],
            "start_time": "05:00",
            "guide": "guide.pacngoi@demo.test",
        },
    },
    {
        "key": "pac-ngoi-di-bo-dong-hua-ma",
        "community": "pac-ngoi",
        "kind": "tour",
        "host": "host3.pacngoi@demo.test",
        "title": {
            "vi": "Đi bộ lên động Hua Mạ",
            "en": "Walk up to Hua Ma Cave",
        },
        "summary": {
            "vi": "Buổi chiều leo bậc đá lên động Hua Mạ ngắm nhũ đá, rồi đi qua ruộng ngô về bản.",
            "en": "An afternoon climb up the stone steps to Hua Ma Cave and its formations, returning through maize fields.",
        },
        "description": {
            "vi": (
                "Xe đưa đoàn từ Pác Ngòi tới chân núi, rồi mọi người leo theo lối bậc đá lên "
                "cửa động Hua Mạ. Bên trong là những khoang rộng với nhũ đá, măng đá nhiều hình "
                "thù, được chiếu sáng dọc lối đi.\n\n"
                "Hướng dẫn viên kể những tên gọi dân gian của các khối đá và giải thích vì sao "
                "vùng núi đá vôi quanh hồ Ba Bể có nhiều hang động. Đường về đi bộ qua ruộng ngô "
                "và một bản nhỏ trước khi xe đón về Pác Ngòi.\n\n"
                "Bậc đá khá dốc, nên mang giày bám tốt và một áo khoác mỏng vì trong động mát "
                "quanh năm."
            ),
            "en": (
                "A van takes the group from Pac Ngoi to the foot of the mountain, and everyone "
                "climbs the stone stairway to the mouth of Hua Ma Cave. Inside are wide chambers "
                "of stalactites and stalagmites in all kinds of shapes, lit along the path.\n\n"
                "Your guide shares the local names of the formations and explains why the "
                "limestone country around Ba Be Lake is so full of caves. You walk back through "
                "maize fields and a small hamlet before the van returns you to Pac Ngoi.\n\n"
                "The steps are steep: wear shoes with good grip and bring a light jacket, as the "
                "cave stays cool all year."
            ),
        },
        "house_rules": _TOUR_RULES,
        "directions": _PAC_NGOI_DIRECTIONS,
        "latitude": 22.4045,
        "longitude": 105.6160,
        "amenities": ["guide"],
        "cancellation_policy": "moderate",
        "payment_methods": ["stripe", "vietqr", "pay_at_arrival"],
        "certifications": [],
        "scene": "cave",
        "tour": {
            "duration_minutes": 180,
            "meeting_point": {
                "vi": "Nhà sàn chị Lan, bản Pác Ngòi",
                "en": "Ms Lan's stilt house, Pac Ngoi village",
            },
            "capacity": 15,
            "price_per_person": 250000,
            "weekdays": [0, 2, 4, 5, 6],
            "dates": [],
            "start_time": "13:30",
            "guide": "guide.pacngoi@demo.test",
        },
    },
]

#: dong for one unit, for indicative prices; the demo's own figures (roughly late 2026), to be
#: set for real by an admin (`flask rates set`). Seeding never overwrites a rate already set.
EXCHANGE_RATES = {"USD": "26300", "EUR": "30500", "CNY": "3680", "KRW": "18.2"}


def _add_zh_ko(node) -> None:
    """Give every {"vi": ..., "en": ...} text below `node` its Chinese and Korean, in place."""
    if isinstance(node, dict):
        if "vi" in node and "en" in node and all(isinstance(v, str) for v in node.values()):
            node.update(_ZH_KO.get(node["en"], {}))
            return
        for value in node.values():
            _add_zh_ko(value)
    elif isinstance(node, list):
        for value in node:
            _add_zh_ko(value)


_add_zh_ko(COMMUNITIES)
_add_zh_ko(LISTINGS)
