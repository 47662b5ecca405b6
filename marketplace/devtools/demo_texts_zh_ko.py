"""Simplified Chinese and Korean for every text of the demo catalogue, keyed by its English.

`demo_data` adds these to each {"vi": ..., "en": ...} it holds; a text missing here stays in
Vietnamese and English only (tests/devtools/test_demo_data.py checks none is missing). Village
and place names keep their Vietnamese spelling where Chinese or Korean has no settled name.
"""

_PLACES: dict[str, dict[str, str]] = {
    # --- Huu Lien -----------------------------------------------------------------------------
    "Huu Lien community tourism village": {
        "zh": "友联社区旅游村",
        "ko": "흐우리엔 공동체 관광 마을",
    },
    (
        "Huu Lien is a small valley in Huu Lung district, enclosed by the limestone ranges of the "
        "Huu Lien Nature Reserve. Tay and Nung families here still live in wooden stilt houses, "
        "grow wet rice and look after the forest. The Huu Lien community tourism village has been "
        "certified to ASEAN community-based tourism standards. Visitors come to sleep in a stilt "
        "house, walk through the karst valley, cycle past the rice fields and share meals with "
        "their hosts; part of every booking goes into the village fund."
    ): {
        "zh": (
            "友联是友陇县的一处小山谷，四周环绕着友联自然保护区的石灰岩山脉。这里的岱依族和侬族"
            "人家至今仍住在木制高脚屋里，种植水稻，守护森林。友联社区旅游村已获得东盟社区旅游"
            "标准认证。游客来这里住高脚屋、徒步穿越喀斯特山谷、骑车经过稻田，并与房东一家同桌"
            "吃饭；每笔预订都有一部分款项进入村里的公共基金。"
        ),
        "ko": (
            "흐우리엔은 흐우룽현의 작은 골짜기로, 흐우리엔 자연보호구역의 석회암 산줄기에 둘러싸여 "
            "있습니다. 이곳의 따이족과 눙족 가족들은 지금도 기둥 위에 나무로 지은 고상가옥에 살며 "
            "논농사를 짓고 숲을 지킵니다. 흐우리엔 공동체 관광 마을은 아세안 공동체 기반 관광 "
            "기준 인증을 받았습니다. 여행자들은 고상가옥에서 자고, 카르스트 골짜기를 걷고, 논 "
            "사이로 자전거를 타며 집주인 가족과 함께 식사를 합니다. 모든 예약 금액의 일부는 마을 "
            "기금으로 적립됩니다."
        ),
    },
    "Huu Lien Nature Reserve": {
        "zh": "友联自然保护区",
        "ko": "흐우리엔 자연보호구역",
    },
    (
        "Forest on limestone mountains, home to many rare plants and animals; its trails are best "
        "walked with a local guide."
    ): {
        "zh": "石灰岩山上的森林，栖息着许多珍稀动植物；山间小径最好跟随当地向导同行。",
        "ko": (
            "석회암 산 위의 숲으로 희귀한 동식물이 많이 삽니다. 숲길은 현지 가이드와 함께 걷는 "
            "것이 가장 좋습니다."
        ),
    },
    "Huu Lien karst valley and rice fields": {
        "zh": "友联喀斯特山谷与稻田",
        "ko": "흐우리엔 카르스트 골짜기와 논",
    },
    (
        "Rice fields tucked between limestone cliffs, bright green in summer and golden at harvest "
        "time."
    ): {
        "zh": "藏在石灰岩峭壁之间的稻田，夏天一片翠绿，收获时节满眼金黄。",
        "ko": "석회암 절벽 사이에 자리한 논으로, 여름에는 싱그러운 초록빛, 수확철에는 황금빛입니다.",
    },
    "Dong Lam grassland": {
        "zh": "同林草原",
        "ko": "동럼 초원",
    },
    (
        "Wide grassland ringed by mountains where villagers graze buffalo and cattle; loveliest "
        "in the early-morning mist and at sunset."
    ): {
        "zh": "群山环抱的辽阔草原，村民在这里放牧水牛和黄牛；清晨薄雾中和日落时分最美。",
        "ko": (
            "산으로 둘러싸인 넓은 초원으로 마을 사람들이 물소와 소를 풀어 기릅니다. 이른 아침 "
            "안개가 낄 때와 해 질 녘이 가장 아름답습니다."
        ),
    },
    "Tam Thanh and Nhi Thanh caves": {
        "zh": "三青洞与二青洞",
        "ko": "땀타인 동굴과 니타인 동굴",
    },
    (
        "A well-known group of caves and historic sites in Lang Son city, easy to visit on the "
        "way in or out."
    ): {
        "zh": "位于谅山市内的著名溶洞与古迹群，来去途中都可顺路游览。",
        "ko": "랑선 시내에 있는 유명한 동굴·유적지로, 오가는 길에 들르기 좋습니다.",
    },
    "Lang Son roasted duck with mac mat leaves": {
        "zh": "谅山木蜜叶烤鸭",
        "ko": "막맛 잎을 넣은 랑선식 오리구이",
    },
    "Khau nhuc – steamed pork belly with taro": {
        "zh": "扣肉——芋头蒸五花肉",
        "ko": "커우늑 – 토란을 곁들인 돼지 삼겹살찜",
    },
    "Chi Lang custard apples": {
        "zh": "支陵番荔枝（释迦果）",
        "ko": "찌랑 슈거애플(커스터드애플)",
    },
    "Five-colour sticky rice": {
        "zh": "五色糯米饭",
        "ko": "오색 찹쌀밥",
    },
    # --- Yen Thinh ----------------------------------------------------------------------------
    "Yen Thinh homestay cluster": {
        "zh": "安盛民宿群",
        "ko": "옌틴 홈스테이 마을",
    },
    (
        "Yen Thinh is a mountain commune of Huu Lung district, not far from the Huu Lien Nature "
        "Reserve. The Yen Thinh homestay cluster is run together by Tay and Nung families and "
        "meets the ASEAN homestay standard. The families keep their stilt houses, rice fields, "
        "gardens and the home cooking of Lang Son. Guests can take a cooking class, join the "
        "season's work in the fields, or simply sit on the veranda and watch the limestone peaks "
        "change colour in the evening."
    ): {
        "zh": (
            "安盛是友陇县的一个山区乡，离友联自然保护区不远。安盛民宿群由岱依族和侬族家庭共同"
            "经营，达到东盟民宿标准。这些人家保留着高脚屋、稻田、菜园和谅山的家常菜。客人可以"
            "参加烹饪课，跟着时令下田干农活，或者只是坐在檐廊上，看傍晚的石灰岩山峰变换颜色。"
        ),
        "ko": (
            "옌틴은 흐우룽현의 산간 마을로, 흐우리엔 자연보호구역에서 멀지 않습니다. 옌틴 "
            "홈스테이 마을은 따이족과 눙족 가족들이 함께 운영하며 아세안 홈스테이 기준을 충족합니다. "
            "가족들은 고상가옥과 논, 텃밭, 그리고 랑선의 집밥을 지켜 가고 있습니다. 손님들은 요리 "
            "수업을 듣거나, 철마다 하는 들일에 함께하거나, 그저 툇마루에 앉아 저녁 무렵 색이 바뀌는 "
            "석회암 봉우리를 바라볼 수 있습니다."
        ),
    },
    "Yen Thinh rice fields and limestone peaks": {
        "zh": "安盛稻田与石灰岩山峰",
        "ko": "옌틴의 논과 석회암 봉우리",
    },
    (
        "Rice paddies, orchards and limestone outcrops around the village, good on foot or by "
        "bicycle."
    ): {
        "zh": "村子周围的稻田、果园和石灰岩山丘，适合步行或骑自行车游览。",
        "ko": "마을 주변의 논과 과수원, 석회암 언덕으로, 걷거나 자전거로 둘러보기 좋습니다.",
    },
    (
        "Forest on limestone mountains with many rare plants and animals, to explore with a local "
        "guide."
    ): {
        "zh": "石灰岩山上的森林，有许多珍稀动植物，可跟随当地向导探访。",
        "ko": "희귀한 동식물이 많은 석회암 산의 숲으로, 현지 가이드와 함께 탐방할 수 있습니다.",
    },
    "Lang Son UNESCO Global Geopark": {
        "zh": "谅山联合国教科文组织世界地质公园",
        "ko": "랑선 유네스코 세계지질공원",
    },
    (
        "A geopark recognised by UNESCO for its karst landscapes, caves and the cultural heritage "
        "of Lang Son's ethnic groups; many of its sites lie around Lang Son city."
    ): {
        "zh": (
            "因喀斯特地貌、溶洞以及谅山各民族的文化遗产而获联合国教科文组织认定的地质公园；"
            "许多景点分布在谅山市周边。"
        ),
        "ko": (
            "카르스트 지형과 동굴, 랑선 여러 민족의 문화유산으로 유네스코가 인정한 지질공원입니다. "
            "명소 상당수가 랑선 시 주변에 있습니다."
        ),
    },
    "To Thi mountain": {
        "zh": "苏氏山（望夫石）",
        "ko": "또티 산(망부석)",
    },
    (
        "The mountain of the legend of To Thi, the woman who waited for her husband with her "
        "child in her arms, in Lang Son city."
    ): {
        "zh": "位于谅山市，传说中苏氏怀抱孩子、守望丈夫归来而化成石像的那座山。",
        "ko": "아이를 품에 안고 남편을 기다리다 돌이 되었다는 또티 전설이 깃든 산으로, 랑선 시에 있습니다.",
    },
    "Mau Son ecotourism area": {
        "zh": "母山生态旅游区",
        "ko": "머우선 생태관광지",
    },
    (
        "High mountains in the east of the province, cool all year round; in some winters the "
        "peaks see frost and ice."
    ): {
        "zh": "位于省内东部的高山，全年凉爽；有些年份的冬天，山顶会结霜结冰。",
        "ko": "성 동쪽의 높은 산으로 일 년 내내 서늘하며, 어떤 해 겨울에는 산꼭대기에 서리와 얼음이 맺힙니다.",
    },
    "Trang Dinh grass jelly": {
        "zh": "长定仙草冻（黑凉粉）",
        "ko": "짱딘 선초 젤리(검은 묵)",
    },
    "Lang Son egg rice rolls": {
        "zh": "谅山鸡蛋粉卷",
        "ko": "랑선식 달걀 반꾸온(쌀전병 말이)",
    },
    "Bao Lam seedless persimmons": {
        "zh": "宝林无籽柿子",
        "ko": "바오럼 씨 없는 감",
    },
    "Lang Son roasted duck": {
        "zh": "谅山烤鸭",
        "ko": "랑선식 오리구이",
    },
    # --- Pac Ngoi -----------------------------------------------------------------------------
    "Pac Ngoi village – Ba Be Lake": {
        "zh": "巴贝湖 Pác Ngòi 村",
        "ko": "팍응오이 마을 – 바베 호수",
    },
    (
        "Pac Ngoi is a Tay village on the shore of Ba Be Lake, inside Ba Be National Park in Bac "
        "Kan province. Its wooden stilt houses sit at the foot of the mountains facing the water, "
        "where villagers still fish and paddle dugout canoes. Many families now run homestays and "
        "take guests out on the lake, through Puong Cave and up to Hua Ma Cave. In the evening you "
        "can listen to then singing and the tinh lute over grilled lake fish."
    ): {
        "zh": (
            "Pác Ngòi 是北件省巴贝国家公园内、巴贝湖畔的一个岱依族村寨。木制高脚屋依山面水而建，"
            "村民至今仍在湖上打鱼、划独木舟。如今许多人家经营民宿，带客人游湖、乘船穿过 Puông "
            "洞，或登上 Hua Mạ 洞。傍晚时分，可以一边吃烤湖鱼，一边聆听岱依族的“天曲”（Then）"
            "歌声和天琴弹奏。"
        ),
        "ko": (
            "팍응오이는 박깐성 바베 국립공원 안, 바베 호숫가에 있는 따이족 마을입니다. 나무 "
            "고상가옥들이 산기슭에서 호수를 마주 보고 있으며, 마을 사람들은 지금도 물고기를 잡고 "
            "통나무배를 젓습니다. 요즘은 많은 가족이 홈스테이를 운영하며 손님을 태우고 호수를 돌고, "
            "뿌옹 동굴을 지나 후아마 동굴까지 안내합니다. 저녁에는 호수 생선구이를 먹으며 따이족의 "
            "텐 노래와 띤 현악기 연주를 들을 수 있습니다."
        ),
    },
    "Ba Be Lake": {
        "zh": "巴贝湖",
        "ko": "바베 호수",
    },
    (
        "One of Vietnam's largest natural freshwater lakes, three linked arms (Pe Lam, Pe Lu and "
        "Pe Leng) between the limestone and forest of Ba Be National Park."
    ): {
        "zh": (
            "越南最大的天然淡水湖之一，由三段相连的湖湾（Pé Lầm、Pé Lù 和 Pé Lèng）组成，"
            "坐落在巴贝国家公园的石灰岩山峦与森林之间。"
        ),
        "ko": (
            "베트남에서 가장 큰 자연 담수호 가운데 하나로, 바베 국립공원의 석회암 산과 숲 사이에 "
            "서로 이어진 세 갈래 호수(페럼, 페루, 페렝)로 이루어져 있습니다."
        ),
    },
    "An Ma temple": {
        "zh": "安马庙",
        "ko": "안마 사당",
    },
    (
        "A temple on An Ma island in the middle of the lake, where the lakeside villages hold "
        "their spring festival."
    ): {
        "zh": "位于湖心安马岛上的庙宇，湖畔各村每年在这里举办春季庙会。",
        "ko": "호수 한가운데 안마섬에 있는 사당으로, 호숫가 마을들이 이곳에서 봄 축제를 엽니다.",
    },
    "Puong Cave": {
        "zh": "Puông 洞",
        "ko": "뿌옹 동굴",
    },
    (
        "A huge limestone cave with the Nang River running through it; boats glide under "
        "stalactites and colonies of bats."
    ): {
        "zh": "巨大的石灰岩溶洞，Năng 河从洞中穿流而过；小船在钟乳石和成群的蝙蝠下缓缓滑行。",
        "ko": "낭강이 관통해 흐르는 거대한 석회암 동굴로, 배가 종유석과 박쥐 무리 아래로 미끄러지듯 지나갑니다.",
    },
    "Hua Ma Cave": {
        "zh": "Hua Mạ 洞",
        "ko": "후아마 동굴",
    },
    (
        "A dry cave high on a mountainside, full of great stalactites and stalagmites, reached by "
        "a stone stairway."
    ): {
        "zh": "位于半山腰的旱洞，洞内布满巨大的钟乳石和石笋，沿石阶而上即可到达。",
        "ko": "산 중턱 높은 곳의 마른 동굴로, 커다란 종유석과 석순이 가득하며 돌계단을 올라 닿습니다.",
    },
    "Dau Dang waterfall": {
        "zh": "头等瀑布",
        "ko": "더우당 폭포",
    },
    "A stepped waterfall on the Nang River, reached by boat from the lake.": {
        "zh": "Năng 河上的阶梯状瀑布，可从湖上乘船前往。",
        "ko": "낭강에 있는 계단식 폭포로, 호수에서 배를 타고 갈 수 있습니다.",
    },
    "Xuan Duong love market (Na Ri)": {
        "zh": "春阳“爱情集市”（那里县）",
        "ko": "쑤언즈엉 사랑의 장터(나리)",
    },
    (
        "A market held once a year, on the 25th day of the 12th lunar month, in Xuan Duong "
        "commune, Na Ri district."
    ): {
        "zh": "每年只在农历腊月二十五开市一次的集市，位于那里县春阳乡。",
        "ko": "해마다 음력 12월 25일 단 하루 열리는 장터로, 나리현 쑤언즈엉 마을에 있습니다.",
    },
    "Grilled Ba Be lake fish": {
        "zh": "巴贝湖烤鱼",
        "ko": "바베 호수 생선구이",
    },
    "Com lam – sticky rice cooked in bamboo": {
        "zh": "竹筒饭——竹筒里烤熟的糯米饭",
        "ko": "껌람 – 대나무 통에 지은 찹쌀밥",
    },
    "Banh cooc mo – Tay horn-shaped sticky rice cakes": {
        "zh": "牛角粽（Bánh cóoc mò）——岱依族牛角形糯米糕",
        "ko": "반꼭모 – 따이족의 뿔 모양 찹쌀떡",
    },
    "Bac Kan canna-starch glass noodles": {
        "zh": "北件蕉芋粉丝",
        "ko": "박깐 칸나 전분 당면",
    },
}

_SHARED: dict[str, dict[str, str]] = {
    # --- house rules, directions, prices and rooms used by several listings ---------------------
    (
        "Check-in from 14:00, check-out by 11:00.\n"
        "Please take your shoes off before climbing into the stilt house.\n"
        "No smoking indoors; quiet hours after 22:00.\n"
        "Dinner is shared with the host family; tell us in advance if you are vegetarian or "
        "have allergies.\n"
        "Ask before photographing people or the family altar."
    ): {
        "zh": (
            "14:00 起可入住，11:00 前退房。\n"
            "上高脚屋前请脱鞋。\n"
            "室内禁止吸烟；22:00 后请保持安静。\n"
            "晚餐与房东一家同桌吃；如果您吃素或有过敏，请提前告诉我们。\n"
            "给村民或家中祖先神台拍照前，请先征得同意。"
        ),
        "ko": (
            "체크인은 14:00부터, 체크아웃은 11:00까지입니다.\n"
            "고상가옥에 오르기 전에 신발을 벗어 주세요.\n"
            "실내 금연이며, 22:00 이후에는 조용히 해 주세요.\n"
            "저녁 식사는 집주인 가족과 함께합니다. 채식을 하시거나 알레르기가 있으면 미리 "
            "알려 주세요.\n"
            "사람이나 집안 제단을 촬영하기 전에는 먼저 허락을 구해 주세요."
        ),
    },
    (
        "Check-in from 14:00, check-out by 11:00.\n"
        "No smoking in the rooms; quiet hours after 22:00.\n"
        "Children under 6 sharing their parents' bed stay free.\n"
        "Please sort your rubbish as the family shows you and avoid single-use plastic."
    ): {
        "zh": (
            "14:00 起可入住，11:00 前退房。\n"
            "房间内禁止吸烟；22:00 后请保持安静。\n"
            "6 岁以下儿童与父母同睡一床免费。\n"
            "请按房东的指引做好垃圾分类，尽量不用一次性塑料制品。"
        ),
        "ko": (
            "체크인은 14:00부터, 체크아웃은 11:00까지입니다.\n"
            "객실 내 금연이며, 22:00 이후에는 조용히 해 주세요.\n"
            "부모와 같은 침대를 쓰는 6세 미만 어린이는 무료입니다.\n"
            "가족이 알려 주는 대로 쓰레기를 분리해 주시고, 일회용 플라스틱은 되도록 쓰지 말아 주세요."
        ),
    },
    (
        "Check-in from 14:00, check-out by 11:00.\n"
        "Shoes off in the stilt house; no smoking indoors.\n"
        "Always wear a life jacket on a boat or kayak; never swim alone.\n"
        "Leave no rubbish on the lake and do not pick orchids or cut plants in the national park."
    ): {
        "zh": (
            "14:00 起可入住，11:00 前退房。\n"
            "进高脚屋请脱鞋；室内禁止吸烟。\n"
            "乘船或划皮划艇时务必穿救生衣；切勿独自游泳。\n"
            "请勿在湖上留下垃圾，不要在国家公园内采摘兰花或砍伐植物。"
        ),
        "ko": (
            "체크인은 14:00부터, 체크아웃은 11:00까지입니다.\n"
            "고상가옥에서는 신발을 벗고, 실내에서는 담배를 피우지 마세요.\n"
            "배나 카약을 탈 때는 반드시 구명조끼를 입고, 절대 혼자 수영하지 마세요.\n"
            "호수에 쓰레기를 남기지 말고, 국립공원 안에서 난초를 꺾거나 식물을 베지 마세요."
        ),
    },
    (
        "Bring walking shoes with good grip, a hat, a light rain jacket and water.\n"
        "Stay with your guide and do not leave the group on your own.\n"
        "Tours run in light rain; in heavy rain or floods the guide will reschedule or refund."
    ): {
        "zh": (
            "请穿防滑的徒步鞋，带上帽子、轻便雨衣和饮用水。\n"
            "请跟随向导，不要擅自离队。\n"
            "小雨照常出发；遇到大雨或洪水，向导会改期或退款。"
        ),
        "ko": (
            "미끄럼 방지가 잘 되는 걷기 좋은 신발, 모자, 가벼운 우비와 물을 챙겨 주세요.\n"
            "가이드와 함께 다니고, 혼자 일행을 벗어나지 마세요.\n"
            "약한 비에는 투어가 진행되며, 폭우나 홍수 때는 가이드가 일정을 바꾸거나 환불해 드립니다."
        ),
    },
    (
        "From Hanoi (about 130 km, just under 3 hours): take the Hanoi – Bac Giang – Lang Son "
        "expressway or Highway 1 to the centre of Huu Lung district, then follow the provincial "
        "road into Huu Lien commune (about 30 km of mountain road).\n"
        "By bus: Hanoi – Lang Son buses stop in the centre of Huu Lung district; your host can "
        "pick you up by motorbike or car if you message a day ahead (for a fee).\n"
        "From Lang Son city: about 90 km along Highway 1 towards Huu Lung.\n"
        "The village road is concrete and easy by motorbike; travel in daylight."
    ): {
        "zh": (
            "从河内出发（约 130 公里，不到 3 小时）：走河内—北江—谅山高速公路或 1 号国道到友陇县"
            "中心，再沿省道进入友联乡（约 30 公里山路）。\n"
            "乘大巴：河内—谅山线大巴停靠友陇县中心；提前一天发消息，房东可以骑摩托车或开车来接"
            "（需付费）。\n"
            "从谅山市出发：沿 1 号国道往友陇方向约 90 公里。\n"
            "进村的路是水泥路，骑摩托车很方便；请在白天赶路。"
        ),
        "ko": (
            "하노이에서(약 130km, 3시간 조금 못 미침): 하노이–박장–랑선 고속도로나 1번 국도를 타고 "
            "흐우룽현 중심지까지 간 뒤, 성도(省道)를 따라 흐우리엔 마을로 들어옵니다(산길 약 30km).\n"
            "버스: 하노이–랑선 버스가 흐우룽현 중심지에 섭니다. 하루 전에 메시지를 보내면 집주인이 "
            "오토바이나 차로 마중 나옵니다(유료).\n"
            "랑선 시에서: 1번 국도를 따라 흐우룽 방향으로 약 90km.\n"
            "마을 길은 콘크리트 포장이라 오토바이로 다니기 쉽습니다. 낮에 이동하세요."
        ),
    },
    (
        "From Hanoi (about 120 km, 2.5 to 3 hours): take the Hanoi – Bac Giang – Lang Son "
        "expressway or Highway 1 to the centre of Huu Lung district, then the provincial road to "
        "Yen Thinh commune.\n"
        "By bus: get off in the centre of Huu Lung district and call your host for a pick-up "
        "(motorbike or car, for a fee).\n"
        "From Lang Son city: about 90 km along Highway 1 towards Huu Lung.\n"
        "Motorbikes can ride to the gate; cars park at the village cultural house."
    ): {
        "zh": (
            "从河内出发（约 120 公里，2.5 至 3 小时）：走河内—北江—谅山高速公路或 1 号国道到友陇县"
            "中心，再走省道到安盛乡。\n"
            "乘大巴：在友陇县中心下车，打电话请房东来接（摩托车或汽车，需付费）。\n"
            "从谅山市出发：沿 1 号国道往友陇方向约 90 公里。\n"
            "摩托车可以直接骑到门口；汽车请停在村文化馆。"
        ),
        "ko": (
            "하노이에서(약 120km, 2시간 반~3시간): 하노이–박장–랑선 고속도로나 1번 국도를 타고 "
            "흐우룽현 중심지까지 간 뒤, 성도를 따라 옌틴 마을로 갑니다.\n"
            "버스: 흐우룽현 중심지에서 내려 집주인에게 전화하면 마중 나옵니다(오토바이 또는 차, "
            "유료).\n"
            "랑선 시에서: 1번 국도를 따라 흐우룽 방향으로 약 90km.\n"
            "오토바이는 대문 앞까지 들어올 수 있고, 차는 마을 문화회관에 주차합니다."
        ),
    },
    (
        "From Hanoi (about 230 km, 5 to 6 hours): take the Hanoi – Thai Nguyen – Cho Moi "
        "expressway, continue on Highway 3 to Bac Kan city, then Highway 279 to Cho Ra (the "
        "centre of Ba Be district) and the road into Ba Be National Park.\n"
        "By bus: there are daily Hanoi – Cho Ra buses; from Cho Ra your host picks you up by "
        "motorbike or car (about 18 km, for a fee).\n"
        "From Bac Kan city: about 80 km, nearly 2 hours over mountain passes.\n"
        "National park entry tickets are sold at the gate. By motorbike, ride in daylight and "
        "take care on the passes."
    ): {
        "zh": (
            "从河内出发（约 230 公里，5 至 6 小时）：走河内—太原—Chợ Mới 高速公路，接 3 号国道到"
            "北件市，再走 279 号国道到 Chợ Rã（巴贝县中心），然后进入巴贝国家公园。\n"
            "乘大巴：每天都有河内—Chợ Rã 的大巴；到 Chợ Rã 后，房东骑摩托车或开车来接（约 18 "
            "公里，需付费）。\n"
            "从北件市出发：约 80 公里，翻山越岭将近 2 小时。\n"
            "国家公园门票在入口处购买。骑摩托车请在白天赶路，过山口时务必小心。"
        ),
        "ko": (
            "하노이에서(약 230km, 5~6시간): 하노이–타이응우옌–쩌머이 고속도로를 타고 3번 국도로 "
            "박깐 시까지 간 다음, 279번 국도로 쩌자(바베현 중심지)를 거쳐 바베 국립공원으로 "
            "들어갑니다.\n"
            "버스: 하노이–쩌자 버스가 매일 있습니다. 쩌자에서는 집주인이 오토바이나 차로 마중 "
            "나옵니다(약 18km, 유료).\n"
            "박깐 시에서: 약 80km, 고갯길을 넘어 2시간 가까이 걸립니다.\n"
            "국립공원 입장권은 입구에서 팝니다. 오토바이로 오실 때는 낮에 이동하고 고갯길에서 "
            "조심하세요."
        ),
    },
    "Tet and the spring festival season": {
        "zh": "春节及早春庙会季",
        "ko": "뗏(설)과 봄 축제 시즌",
    },
    "Summer peak": {
        "zh": "夏季旺季",
        "ko": "여름 성수기",
    },
    "Double room": {
        "zh": "双人房",
        "ko": "더블룸",
    },
    "Family room": {
        "zh": "家庭房",
        "ko": "패밀리룸",
    },
}

_LISTINGS: dict[str, dict[str, str]] = {
    "Mrs Luan's stilt house in the Huu Lien valley": {
        "zh": "友联山谷里的 Luận 阿姨高脚屋",
        "ko": "흐우리엔 골짜기의 루안 아주머니네 고상가옥",
    },
    (
        "A Tay family's wooden stilt house facing rice fields and limestone peaks, with dorm "
        "beds and private rooms."
    ): {
        "zh": "岱依族人家的木制高脚屋，面朝稻田和石灰岩山峰，有大通铺床位，也有独立房间。",
        "ko": "논과 석회암 봉우리를 마주한 따이족 가족의 나무 고상가옥으로, 공용 침상과 개별 객실이 있습니다.",
    },
    (
        "Mrs Luan's family house is a wooden stilt house almost forty years old, roofed with "
        "palm leaves and surrounded by rice fields and the limestone cliffs of the Huu Lien "
        "Nature Reserve. The wide upper floor holds a shared sleeping area with mattresses "
        "and mosquito nets, plus two small wood-walled rooms for couples or families.\n"
        "\n"
        "Breakfast is rice rolls or sticky rice; dinner is a family tray of garden "
        "vegetables, free-range chicken and forest bamboo shoots in season. Mrs Luan is "
        "happy to show you how to wrap rice cakes or steam five-colour sticky rice, and to "
        "talk about Tay festivals.\n"
        "\n"
        "The fields are a few minutes' walk away, and the family lends bicycles for rides "
        "around the valley. Shared hot-water bathrooms are downstairs."
    ): {
        "zh": (
            "Luận 阿姨家的房子是一座将近四十年的木制高脚屋，屋顶铺着棕榈叶，四周是稻田和友联自然"
            "保护区的石灰岩峭壁。宽敞的楼上是铺着床垫、挂着蚊帐的大通铺，另有两间木板隔成的小房间，适"
            "合情侣或一家人。\n"
            "\n"
            "早餐是粉卷或糯米饭；晚餐是一家人围坐的一桌菜：园子里的青菜、散养的土鸡，当季还有山里的竹"
            "笋。Luận 阿姨很乐意教您包粽子、蒸五色糯米饭，也爱聊岱依族的节日。\n"
            "\n"
            "走几分钟就到田边，家里还有自行车借给客人在山谷里骑行。共用的热水浴室在楼下。"
        ),
        "ko": (
            "루안 아주머니네 집은 지은 지 40년 가까이 된 나무 고상가옥으로, 야자잎 지붕을 얹었고 사방이 논과 "
            "흐우리엔 자연보호구역의 석회암 절벽으로 둘러싸여 있습니다. 넓은 위층에는 매트리스와 모기장을 갖춘 공용 "
            "숙소가 있고, 커플이나 가족을 위한 나무 벽 작은 방이 두 개 있습니다.\n"
            "\n"
            "아침은 반꾸온(쌀전병 말이)이나 찹쌀밥, 저녁은 텃밭 채소와 놓아 기른 닭, 철마다 나는 숲 죽순으로 "
            "차린 가족 밥상입니다. 루안 아주머니가 떡 싸는 법과 오색 찹쌀밥 찌는 법을 기꺼이 알려 주고, 따이족 "
            "명절 이야기도 들려줍니다.\n"
            "\n"
            "논까지는 걸어서 몇 분이면 되고, 가족이 자전거를 빌려주어 골짜기를 돌아볼 수 있습니다. 온수가 나오는 "
            "공용 욕실은 아래층에 있습니다."
        ),
    },
    "Mattress in the shared loft": {
        "zh": "阁楼大通铺床垫位",
        "ko": "공용 다락 매트리스 자리",
    },
    "Wood-walled double room": {
        "zh": "木板墙双人房",
        "ko": "나무 벽 더블룸",
    },
    "Mr Thang's homestay by the rice fields": {
        "zh": "稻田边的 Thắng 大叔民宿",
        "ko": "논 옆 탕 아저씨네 홈스테이",
    },
    (
        "Private rooms with their own bathrooms and a veranda looking straight onto the "
        "karst valley."
    ): {
        "zh": "带独立卫浴的私人房间，檐廊正对喀斯特山谷。",
        "ko": "전용 욕실이 딸린 개별 객실로, 툇마루에서 카르스트 골짜기가 바로 보입니다.",
    },
    (
        "Mr Thang's family has built a low row of timber-and-stone rooms next to their old "
        "stilt house, for guests who want their own bathroom while still living to the "
        "rhythm of the village. Every room has a window onto the fields, a fan, a mosquito "
        "net and warm quilts for winter nights.\n"
        "\n"
        "Mr Thang used to work as a forest ranger, knows many of the trails around the "
        "reserve and can introduce you to the village guides. Dinner can be served "
        "separately or shared with the family, with vegetarian dishes on request.\n"
        "\n"
        "There is a large yard for parking; the village cultural house is about 300 m away."
    ): {
        "zh": (
            "Thắng 大叔一家在老高脚屋旁边盖了一排低矮的木石结构客房，给想要独立卫浴、又想跟着村"
            "子节奏生活的客人住。每个房间都有朝向田野的窗户、电风扇、蚊帐，还有冬夜用的厚棉被。\n"
            "\n"
            "Thắng 大叔以前是护林员，熟悉保护区周围的许多小路，也可以为您介绍村里的向导。晚餐可"
            "以单独上，也可以和一家人一起吃，可按要求准备素菜。\n"
            "\n"
            "院子很大，方便停车；村文化馆离这里约 300 米。"
        ),
        "ko": (
            "탕 아저씨 가족은 옛 고상가옥 옆에 나무와 돌로 된 나지막한 객실을 한 줄로 지었습니다. 전용 욕실을 "
            "원하면서도 마을의 리듬대로 지내고 싶은 손님을 위한 곳입니다. 모든 객실에 들판이 보이는 창, 선풍기, "
            "모기장, 그리고 겨울밤을 위한 두툼한 이불이 있습니다.\n"
            "\n"
            "탕 아저씨는 산림 감시원으로 일했던 분이라 보호구역 주변의 숲길을 잘 알고, 마을 가이드도 소개해 줄 "
            "수 있습니다. 저녁은 따로 차려 드리거나 가족과 함께 드실 수 있으며, 요청하시면 채식 요리도 "
            "준비합니다.\n"
            "\n"
            "마당이 넓어 주차하기 좋고, 마을 문화회관까지는 약 300m입니다."
        ),
    },
    "Double room with field view": {
        "zh": "田景双人房",
        "ko": "들판 전망 더블룸",
    },
    "Forest-edge stilt house – the whole house": {
        "zh": "林边高脚屋——整栋出租",
        "ko": "숲 가장자리 고상가옥 – 집 전체",
    },
    (
        "A whole stilt house for groups of up to 10 at the edge of the reserve's forest; two "
        "nights minimum."
    ): {
        "zh": "位于保护区森林边缘的整栋高脚屋，最多可住 10 人的团体；至少住两晚。",
        "ko": (
            "보호구역 숲 가장자리에 있는 고상가옥 한 채를 통째로 쓰며 최대 10명 단체가 묵을 수 있습니다. 최소 "
            "2박."
        ),
    },
    (
        "The Luan family's second stilt house stands at the end of the village against the "
        "forest edge and is let to one group at a time. Upstairs is one large room with "
        "mattresses, mosquito nets and a fire hearth; downstairs are a kitchen, two "
        "hot-water bathrooms and space for motorbikes.\n"
        "\n"
        "It suits big families, groups of friends or school trips who want a few days of "
        "forest walks and nights full of insect song. Meals are cooked by the family and "
        "brought over, or you can cook yourselves with vegetables from the garden.\n"
        "\n"
        "There is only one house, so weekends and Tet fill up early."
    ): {
        "zh": (
            "Luận 阿姨家的第二座高脚屋建在村尾，紧挨着森林边缘，每次只接待一个团体。楼上是一间大"
            "屋，有床垫、蚊帐和火塘；楼下有厨房、两间热水浴室和停摩托车的地方。\n"
            "\n"
            "适合大家庭、朋友结伴或学校团体，想花几天时间在林间徒步，夜里听满山虫鸣。饭菜可以由房东一"
            "家做好送来，也可以用园子里的蔬菜自己下厨。\n"
            "\n"
            "只有这一栋房子，周末和春节期间很早就会订满。"
        ),
        "ko": (
            "루안 아주머니 가족의 두 번째 고상가옥은 마을 끝 숲 가장자리에 있으며 한 번에 한 팀만 받습니다. "
            "위층은 매트리스와 모기장, 화덕이 있는 큰 방 하나이고, 아래층에는 부엌과 온수 욕실 두 개, 오토바이 "
            "세울 자리가 있습니다.\n"
            "\n"
            "숲길을 며칠 걷고 밤새 풀벌레 소리를 듣고 싶은 대가족, 친구들, 학교 단체에 잘 맞습니다. 식사는 "
            "가족이 만들어 가져다 드리거나, 텃밭 채소로 직접 요리하셔도 됩니다.\n"
            "\n"
            "집이 한 채뿐이라 주말과 뗏(설) 기간에는 일찍 예약이 찹니다."
        ),
    },
    "The whole stilt house": {
        "zh": "整栋高脚屋",
        "ko": "고상가옥 전체",
    },
    "Huu Lien karst valley trek": {
        "zh": "友联喀斯特山谷徒步",
        "ko": "흐우리엔 카르스트 골짜기 트레킹",
    },
    (
        "Four hours on foot with a Tay guide through rice fields, forest edges and the foot "
        "of limestone cliffs."
    ): {
        "zh": "跟随岱依族向导步行四小时，穿过稻田、林缘，走到石灰岩峭壁脚下。",
        "ko": "따이족 가이드와 함께 논과 숲 가장자리, 석회암 절벽 아래를 지나는 4시간 도보 여행입니다.",
    },
    (
        "The walk starts at the village cultural house and follows paddy dikes and a small "
        "stream deep into the valley, where limestone cliffs rise sheer on both sides. Your "
        "guide points out medicinal plants, shows how families farm the small fields at the "
        "foot of the mountains, and names the birds of the forest edge.\n"
        "\n"
        "Halfway, the group rests at a stilt house for tea and a snack. The route is about 8 "
        "km, mostly flat, with a few short climbs that get muddy after rain.\n"
        "\n"
        "Suitable for anyone of ordinary fitness and children from 10 years old."
    ): {
        "zh": (
            "徒步从村文化馆出发，沿着田埂和一条小溪深入山谷，两侧的石灰岩峭壁拔地而起。向导会为您指认"
            "草药，介绍人们如何耕种山脚下的小块田地，并说出林缘各种鸟儿的名字。\n"
            "\n"
            "走到一半，大家在一座高脚屋里歇脚，喝茶吃点心。全程约 8 公里，大多是平路，有几段短坡，"
            "雨后会比较泥泞。\n"
            "\n"
            "适合体力一般的人，也适合 10 岁以上的孩子。"
        ),
        "ko": (
            "마을 문화회관에서 출발해 논두렁과 작은 개울을 따라 골짜기 깊숙이 들어가면 양쪽으로 석회암 절벽이 "
            "깎아지른 듯 솟아 있습니다. 가이드가 약초를 알려 주고, 산기슭의 작은 논밭을 가족들이 어떻게 일구는지 "
            "보여 주며, 숲 가장자리에 사는 새들의 이름도 알려 줍니다.\n"
            "\n"
            "중간쯤에서 고상가옥에 들러 차와 간식을 들며 쉬어 갑니다. 코스는 약 8km로 대부분 평탄하지만 짧은 "
            "오르막이 몇 군데 있고, 비가 온 뒤에는 진흙이 많습니다.\n"
            "\n"
            "보통 체력이면 누구나, 어린이는 10세부터 참여할 수 있습니다."
        ),
    },
    "The village cultural house in the centre of Huu Lien commune": {
        "zh": "友联乡中心的村文化馆",
        "ko": "흐우리엔 마을 중심의 마을 문화회관",
    },
    "Sunset cycle to the Dong Lam grassland": {
        "zh": "骑行去同林草原看日落",
        "ko": "해 질 녘 동럼 초원 자전거 여행",
    },
    (
        "An afternoon ride through villages and fields to the Dong Lam grassland for sunset "
        "among the mountains."
    ): {
        "zh": "午后骑车穿过村庄和田野，到同林草原的群山之间看日落。",
        "ko": "오후에 마을과 들판을 지나 동럼 초원까지 자전거를 타고 가서 산 사이로 지는 해를 봅니다.",
    },
    (
        "The group sets off in the early afternoon on the village's mountain bikes, riding "
        "concrete lanes and dirt tracks past hamlets, rice fields and custard-apple "
        "orchards. Your guide stops at the best viewpoints and talks about the lives of the "
        "Tay and Nung families who live beside the reserve.\n"
        "\n"
        "At Dong Lam there is time to wander the grassland, photograph the grazing buffalo "
        "and watch the sun go down behind the mountains. You ride back with lights, or a van "
        "carries riders and bikes if you are tired.\n"
        "\n"
        "The price includes the bicycle, a helmet, water and seasonal fruit."
    ): {
        "zh": (
            "午后不久，大家骑上村里的山地车出发，沿着水泥小路和土路，经过一个个小村落、稻田和番荔枝果"
            "园。向导会在最好的观景点停下，讲述住在保护区旁的岱依族和侬族人家的生活。\n"
            "\n"
            "到了同林，有时间在草原上漫步，拍吃草的水牛，看太阳落到山后。回程打着车灯骑回来；如果累了"
            "，也有面包车载人带车回村。\n"
            "\n"
            "价格包含自行车、头盔、饮用水和时令水果。"
        ),
        "ko": (
            "이른 오후에 마을의 산악자전거를 타고 출발해 콘크리트 길과 흙길을 따라 작은 마을들과 논, 슈거애플 "
            "과수원을 지납니다. 가이드가 전망이 가장 좋은 곳마다 멈춰 서서 보호구역 옆에 사는 따이족과 눙족 "
            "가족들의 삶을 들려줍니다.\n"
            "\n"
            "동럼에 도착하면 초원을 거닐고, 풀을 뜯는 물소를 사진에 담고, 해가 산 너머로 지는 모습을 볼 시간이 "
            "있습니다. 돌아올 때는 라이트를 켜고 달리며, 지치면 승합차가 사람과 자전거를 실어 옵니다.\n"
            "\n"
            "가격에는 자전거, 헬멧, 물과 제철 과일이 포함됩니다."
        ),
    },
    "The yard of Mr Thang's homestay": {
        "zh": "Thắng 大叔民宿的院子",
        "ko": "탕 아저씨네 홈스테이 마당",
    },
    "Mrs Huong's stilt house – Yen Thinh": {
        "zh": "安盛 Hương 阿姨高脚屋",
        "ko": "옌틴 흐엉 아주머니네 고상가옥",
    },
    (
        "A traditional stilt house meeting the ASEAN homestay standard, with dorm beds and "
        "double rooms and family meals."
    ): {
        "zh": "达到东盟民宿标准的传统高脚屋，有大通铺床位和双人房，与房东一家同吃家常饭。",
        "ko": "아세안 홈스테이 기준을 충족하는 전통 고상가옥으로, 공용 침상과 더블룸이 있고 가족 밥상을 함께합니다.",
    },
    (
        "Mrs Huong's stilt house was one of the first in the Yen Thinh cluster to welcome "
        "guests. The central room still holds the ancestral altar and the fire hearth; "
        "guests sleep on the wide wooden floor on thick mattresses with nets and fresh "
        "quilts, or in one of two double rooms with doors.\n"
        "\n"
        "Mrs Huong is a fine cook, known for her khau nhuc and wild greens. At planting and "
        "harvest time you can follow the family to the fields; other days you can stroll "
        "around the village or borrow a bicycle.\n"
        "\n"
        "The shared hot-water bathrooms are clean and right below the house."
    ): {
        "zh": (
            "Hương 阿姨的高脚屋是安盛民宿群里最早接待客人的人家之一。正屋里仍供着祖先神台，还有"
            "火塘；客人睡在宽大的木地板上，铺着厚床垫，挂着蚊帐，盖着干净的棉被，也可以住两间带门的双"
            "人房。\n"
            "\n"
            "Hương 阿姨做得一手好菜，她的扣肉和野菜很有名。插秧和收割时节，您可以跟着一家人下田"
            "；其他日子可以在村里散步，或者借辆自行车出去转转。\n"
            "\n"
            "共用的热水浴室干净整洁，就在屋子正下方。"
        ),
        "ko": (
            "흐엉 아주머니네 고상가옥은 옌틴 홈스테이 마을에서 가장 먼저 손님을 맞은 집 가운데 하나입니다. 가운데 "
            "방에는 지금도 조상 제단과 화덕이 있습니다. 손님은 넓은 나무 바닥에 두툼한 매트리스를 깔고 모기장과 "
            "깨끗한 이불을 덮고 자거나, 문이 달린 더블룸 두 곳 중 하나에서 묵습니다.\n"
            "\n"
            "흐엉 아주머니는 솜씨 좋은 요리사로, 커우늑과 산나물 요리로 이름나 있습니다. 모내기와 수확철에는 "
            "가족을 따라 들에 나갈 수 있고, 다른 날에는 마을을 산책하거나 자전거를 빌려 돌아볼 수 있습니다.\n"
            "\n"
            "온수가 나오는 공용 욕실은 깨끗하며 집 바로 아래에 있습니다."
        ),
    },
    "Dorm bed": {
        "zh": "通铺床位",
        "ko": "공용 침상",
    },
    "Mr Dung's homestay – one family room": {
        "zh": "Dũng 大叔民宿——仅一间家庭房",
        "ko": "중 아저씨네 홈스테이 – 패밀리룸 한 곳",
    },
    "A single private family room in a Nung home: quiet, with its own bathroom.": {
        "zh": "侬族人家里唯一的一间私人家庭房：安静，带独立卫浴。",
        "ko": "눙족 가정의 단 하나뿐인 개별 패밀리룸으로, 조용하고 전용 욕실이 있습니다.",
    },
    (
        "Mr Dung's family keeps just one room for guests, so each night there is only one "
        "family or small group staying. The room has a double bed and a bunk bed, its own "
        "hot-water bathroom and a window onto the garden.\n"
        "\n"
        "Mr Dung grows custard apples and vegetables and his wife makes seasonal cakes; "
        "guests are invited to taste whatever the garden is giving. In the evening the "
        "family often gathers around the hearth to tell village stories.\n"
        "\n"
        "With only one room, please book early for weekends and festival season."
    ): {
        "zh": (
            "Dũng 大叔家只留了一间房给客人，所以每晚只住一家人或一个小团体。房间里有一张双人床和"
            "一张上下铺，带独立的热水浴室，窗外就是菜园。\n"
            "\n"
            "Dũng 大叔种番荔枝和蔬菜，他太太会做时令糕点；园子里当季结了什么，就请客人尝什么。晚"
            "上，一家人常常围着火塘讲村里的故事。\n"
            "\n"
            "只有一间房，周末和节庆期间请尽早预订。"
        ),
        "ko": (
            "중 아저씨 가족은 손님방을 하나만 두고 있어서 밤마다 한 가족이나 작은 일행만 묵습니다. 방에는 더블 "
            "침대와 2층 침대가 있고, 온수가 나오는 전용 욕실과 텃밭이 보이는 창이 있습니다.\n"
            "\n"
            "중 아저씨는 슈거애플과 채소를 기르고 부인은 제철 떡을 만듭니다. 텃밭에서 그때그때 나는 것을 손님에게 "
            "맛보여 줍니다. 저녁이면 가족이 화덕가에 모여 마을 이야기를 나누곤 합니다.\n"
            "\n"
            "방이 하나뿐이니 주말과 축제철에는 일찍 예약해 주세요."
        ),
    },
    "Custard-apple garden house – twin and family rooms": {
        "zh": "番荔枝果园木屋——双床房与家庭房",
        "ko": "슈거애플 과수원 집 – 트윈룸과 패밀리룸",
    },
    (
        "A timber house in a custard-apple orchard below the cliffs, private rooms with "
        "bathrooms, good for families with children."
    ): {
        "zh": "峭壁下番荔枝果园里的木屋，独立卫浴的私人房间，很适合带孩子的家庭。",
        "ko": "절벽 아래 슈거애플 과수원 속 나무집으로, 욕실이 딸린 개별 객실이 있어 아이 동반 가족에게 좋습니다.",
    },
    (
        "A few hundred metres from the main stilt house, Mrs Huong's family has a timber "
        "house in the middle of a custard-apple orchard with a limestone cliff behind it. "
        "There are two twin rooms and two family rooms, each with its own bathroom and a "
        "small veranda.\n"
        "\n"
        "When the custard apples ripen (roughly July to September) you can pick them with "
        "the family. Meals are cooked in the main stilt house and brought over, or you can "
        "walk across and eat with the other guests.\n"
        "\n"
        "The big yard is safe for children to play in, and cars can park inside the orchard."
    ): {
        "zh": (
            "离主屋高脚屋几百米的地方，Hương 阿姨家在番荔枝果园中央有一座木屋，背后就是石灰岩峭"
            "壁。共有两间双床房和两间家庭房，每间都有独立卫浴和小檐廊。\n"
            "\n"
            "番荔枝成熟的时候（大约 7 月到 9 月），可以和一家人一起采摘。饭菜在主屋高脚屋里做好"
            "后送过来，您也可以走过去和其他客人一起吃。\n"
            "\n"
            "大院子很安全，孩子可以尽情玩耍，汽车也能开进果园停放。"
        ),
        "ko": (
            "본채 고상가옥에서 몇백 미터 떨어진 곳, 석회암 절벽을 등진 슈거애플 과수원 한가운데에 흐엉 아주머니 "
            "가족의 나무집이 있습니다. 트윈룸 두 개와 패밀리룸 두 개가 있고, 방마다 전용 욕실과 작은 툇마루가 "
            "있습니다.\n"
            "\n"
            "슈거애플이 익는 철(대략 7월부터 9월)에는 가족과 함께 열매를 딸 수 있습니다. 식사는 본채에서 "
            "만들어 가져다 드리거나, 걸어가서 다른 손님들과 함께 드셔도 됩니다.\n"
            "\n"
            "넓은 마당은 아이들이 뛰놀기에 안전하고, 차는 과수원 안에 세울 수 있습니다."
        ),
    },
    "Twin room": {
        "zh": "双床房",
        "ko": "트윈룸",
    },
    "Rice fields and a Tay and Nung cooking class": {
        "zh": "稻田体验与岱依族、侬族烹饪课",
        "ko": "논 체험과 따이족·눙족 요리 수업",
    },
    ("A morning in the fields and the garden, then cooking and sharing a Lang Son family meal."): {
        "zh": "上午在田间和菜园度过，然后动手做一桌谅山家常饭，大家一起享用。",
        "ko": "오전에는 논과 텃밭에서 시간을 보내고, 이어서 랑선 가정식을 함께 만들어 나눠 먹습니다.",
    },
    (
        "The class begins with a walk to the fields: depending on the season you will see "
        "families ploughing, planting, weeding or harvesting rice, and can try your hand "
        "alongside them. On the way back the group picks vegetables, wrapping leaves and the "
        "leaves used to colour sticky rice.\n"
        "\n"
        "In the kitchen, your guide and the village women show you how to steam five-colour "
        "sticky rice dyed with plant leaves, cook a dish of wild greens and a Tay or Nung "
        "meat dish. Lunch is what you have just cooked.\n"
        "\n"
        "A vegetarian menu is available on request. The price includes ingredients, an apron "
        "and a bilingual printed recipe to take home."
    ): {
        "zh": (
            "课程从走到田边开始：根据季节不同，您会看到人们犁田、插秧、除草或收割，也可以跟着一起下田"
            "试试。回来的路上，大家顺手采摘蔬菜、包粽子用的叶子，以及给糯米饭染色的植物叶子。\n"
            "\n"
            "进了厨房，向导和村里的妇女会教您用植物叶子染出五色糯米饭，炒一盘野菜，再做一道岱依族或侬"
            "族的肉菜。午饭就吃您亲手做的这些菜。\n"
            "\n"
            "可按要求提供素食菜单。价格包含食材、围裙和一份双语印刷食谱，可以带回家。"
        ),
        "ko": (
            "수업은 논으로 걸어가는 것으로 시작합니다. 계절에 따라 가족들이 논을 갈고, 모를 심고, 김을 매거나 "
            "벼를 거두는 모습을 보며 직접 거들어 볼 수도 있습니다. 돌아오는 길에는 채소와 떡을 싸는 잎, "
            "찹쌀밥을 물들이는 잎을 땁니다.\n"
            "\n"
            "부엌에서는 가이드와 마을 여성들이 식물 잎으로 물들인 오색 찹쌀밥 찌는 법, 산나물 요리, 그리고 "
            "따이족이나 눙족의 고기 요리를 알려 줍니다. 점심은 방금 직접 만든 음식입니다.\n"
            "\n"
            "요청하시면 채식 메뉴로 준비합니다. 가격에는 재료, 앞치마, 집에 가져갈 수 있는 2개 국어 인쇄 "
            "레시피가 포함됩니다."
        ),
    },
    "Mrs Huong's stilt house in the central hamlet of Yen Thinh commune": {
        "zh": "安盛乡中心村寨的 Hương 阿姨高脚屋",
        "ko": "옌틴 마을 중심 마을의 흐엉 아주머니네 고상가옥",
    },
    "Lakeside stilt house – Pac Ngoi village": {
        "zh": "湖畔高脚屋——Pác Ngòi 村",
        "ko": "호숫가 고상가옥 – 팍응오이 마을",
    },
    (
        "A Tay stilt house right at the edge of Ba Be Lake, dorm beds and doubles, kayaks "
        "for guests."
    ): {
        "zh": "紧挨巴贝湖边的岱依族高脚屋，有通铺床位和双人房，备有皮划艇供客人使用。",
        "ko": "바베 호숫가 바로 앞의 따이족 고상가옥으로, 공용 침상과 더블룸이 있고 손님용 카약을 갖추고 있습니다.",
    },
    (
        "Ms Nhung's family stilt house stands at the edge of the village, its balcony "
        "looking straight across Ba Be Lake to the mountains beyond. Upstairs there is a "
        "shared sleeping area with mattresses, nets and a curtain for each place, and two "
        "small double rooms with their own doors.\n"
        "\n"
        "Mornings often bring mist over the water; the family keeps kayaks and life jackets "
        "for paddling near the shore. Dinner is grilled lake fish, greens grown by the lake, "
        "bamboo shoots and rice cooked in bamboo. Ms Nhung can book a boat for Puong Cave, "
        "An Ma temple or Dau Dang waterfall.\n"
        "\n"
        "On some weekend evenings the village troupe sings then and plays the tinh lute for "
        "guests at the cultural house."
    ): {
        "zh": (
            "Nhung 姐家的高脚屋在村子边上，从阳台望出去，越过巴贝湖就是对岸的群山。楼上有大通铺"
            "，床垫、蚊帐齐全，每个铺位都有一道帘子；另有两间带门的小双人房。\n"
            "\n"
            "清晨湖面常常笼着薄雾；家里备有皮划艇和救生衣，可以在岸边附近划一划。晚餐有烤湖鱼、湖边种"
            "的青菜、竹笋和竹筒饭。Nhung 姐可以帮您订船去 Puông 洞、安马庙或头等瀑布。\n"
            "\n"
            "有些周末晚上，村里的文艺队会在文化馆为客人唱天曲（Then）、弹天琴。"
        ),
        "ko": (
            "늉 씨네 고상가옥은 마을 가장자리에 있어, 발코니에서 바베 호수 건너편 산들이 바로 보입니다. 위층에는 "
            "매트리스와 모기장, 자리마다 커튼이 달린 공용 숙소가 있고, 문이 달린 작은 더블룸이 두 개 있습니다.\n"
            "\n"
            "아침이면 물 위로 안개가 자주 피어오릅니다. 가족이 카약과 구명조끼를 갖추고 있어 물가 가까이에서 노를 "
            "저어 볼 수 있습니다. 저녁은 호수 생선구이, 호숫가에서 기른 채소, 죽순, 대나무 통밥입니다. 늉 "
            "씨가 뿌옹 동굴, 안마 사당, 더우당 폭포로 가는 배를 예약해 드릴 수 있습니다.\n"
            "\n"
            "주말 저녁에는 가끔 마을 공연단이 문화회관에서 손님들을 위해 텐 노래를 부르고 띤을 연주합니다."
        ),
    },
    "Dorm bed with lake view": {
        "zh": "湖景通铺床位",
        "ko": "호수 전망 공용 침상",
    },
    "Mr Khoa's homestay – a private lake-view room": {
        "zh": "Khoa 大叔民宿——一间湖景私人房",
        "ko": "코아 아저씨네 홈스테이 – 호수 전망 개별 객실",
    },
    (
        "One double room with its own bathroom and a window on the lake; your host is a "
        "long-time boatman."
    ): {
        "zh": "一间带独立卫浴、窗外就是湖的双人房；房东是多年的老船夫。",
        "ko": "전용 욕실과 호수로 난 창이 있는 더블룸 하나. 집주인은 오랫동안 배를 몰아 온 뱃사공입니다.",
    },
    (
        "Mr Khoa has been steering boats on Ba Be Lake for more than twenty years. His "
        "family has turned one room of their stilt house into a double for guests, with a "
        "private hot-water bathroom and a wooden window opening onto the lake.\n"
        "\n"
        "If you like, Mr Khoa will take you out early to watch the fishermen haul their "
        "nets, or late in the afternoon when the water is still. Meals are cooked by his "
        "wife, usually lake fish, wild greens and, at festival time, banh cooc mo.\n"
        "\n"
        "There is only one room, so it is very quiet; book early in summer."
    ): {
        "zh": (
            "Khoa 大叔在巴贝湖上开船已经二十多年了。他家把高脚屋里的一间改成了给客人住的双人房，"
            "带独立热水浴室，木窗一推开就是湖。\n"
            "\n"
            "您愿意的话，Khoa 大叔可以一大早带您去看渔民收网，或者傍晚湖面平静时出去转转。饭菜由"
            "他太太掌勺，通常是湖鱼、野菜，节庆时还有牛角粽（bánh cóoc mò）。\n"
            "\n"
            "只有一间房，所以非常安静；夏天请尽早预订。"
        ),
        "ko": (
            "코아 아저씨는 20년 넘게 바베 호수에서 배를 몰아 왔습니다. 가족이 고상가옥의 방 하나를 손님용 "
            "더블룸으로 꾸몄는데, 온수가 나오는 전용 욕실이 있고 나무 창을 열면 호수가 펼쳐집니다.\n"
            "\n"
            "원하시면 코아 아저씨가 이른 아침 어부들이 그물 걷는 모습을 보러, 또는 물결이 잔잔한 늦은 오후에 "
            "배를 태워 드립니다. 식사는 부인이 차리며, 주로 호수 생선과 산나물, 축제철에는 반꼭모가 나옵니다.\n"
            "\n"
            "방이 하나뿐이라 아주 조용합니다. 여름에는 일찍 예약해 주세요."
        ),
    },
    "Lake-view double room": {
        "zh": "湖景双人房",
        "ko": "호수 전망 더블룸",
    },
    "Ms Lan's stilt house – family rooms": {
        "zh": "Lan 姐高脚屋——家庭房",
        "ko": "란 씨네 고상가옥 – 패밀리룸",
    },
    ("Two spacious family rooms in a new stilt house built the old way; two nights minimum."): {
        "zh": "一座按老方法新建的高脚屋，有两间宽敞的家庭房；至少住两晚。",
        "ko": "옛 방식 그대로 새로 지은 고상가옥의 넓은 패밀리룸 두 개. 최소 2박.",
    },
    (
        "Ms Lan's stilt house has been rebuilt in timber in the traditional Tay style, with "
        "two large family rooms that sleep five each. The shared balcony overlooks maize "
        "fields and the path down to the boat landing.\n"
        "\n"
        "Ms Lan asks guests to stay at least two nights, so there is time for a full day on "
        "the lake and an unhurried walk up to Hua Ma Cave. The family cooks three meals a "
        "day, with dishes for small children and vegetarian food on request.\n"
        "\n"
        "There is a washing machine and a drying line; the boat landing is about a 10-minute "
        "walk away."
    ): {
        "zh": (
            "Lan 姐家的高脚屋按岱依族传统样式用木头重建，有两间大家庭房，每间可睡五人。共用的阳台"
            "俯瞰玉米地和通往码头的小路。\n"
            "\n"
            "Lan 姐请客人至少住两晚，这样才有时间在湖上玩一整天，再不慌不忙地走上 Hua Mạ "
            "洞。房东一家每天做三顿饭，可按要求准备小孩吃的菜和素食。\n"
            "\n"
            "有洗衣机和晾衣绳；走到码头约 10 分钟。"
        ),
        "ko": (
            "란 씨네 고상가옥은 따이족 전통 양식대로 나무로 다시 지은 집으로, 5명씩 잘 수 있는 넓은 패밀리룸이 "
            "두 개 있습니다. 함께 쓰는 발코니에서 옥수수밭과 선착장으로 내려가는 길이 내려다보입니다.\n"
            "\n"
            "란 씨는 손님들에게 최소 2박을 부탁합니다. 그래야 호수에서 하루를 온전히 보내고 후아마 동굴까지 "
            "여유롭게 걸어 오를 수 있기 때문입니다. 가족이 하루 세 끼를 차리며, 요청하시면 어린아이용 음식과 "
            "채식도 준비합니다.\n"
            "\n"
            "세탁기와 빨랫줄이 있고, 선착장까지는 걸어서 10분 정도입니다."
        ),
    },
    "Ba Be Lake boat trip to Puong Cave": {
        "zh": "巴贝湖乘船游 Puông 洞",
        "ko": "바베 호수 보트 투어와 뿌옹 동굴",
    },
    (
        "Half a day by motorboat across the lake's three arms, with a stop at An Ma temple "
        "and a ride through Puong Cave."
    ): {
        "zh": "乘机动船游览半天，穿越湖的三段湖湾，停靠安马庙，并乘船穿过 Puông 洞。",
        "ko": "모터보트로 반나절 동안 호수의 세 갈래를 건너고, 안마 사당에 들른 뒤 뿌옹 동굴을 배로 통과합니다.",
    },
    (
        "The boat leaves the Pac Ngoi landing and crosses the Pe Lam, Pe Lu and Pe Leng "
        "arms, where forested limestone walls are mirrored in the water. The group stops on "
        "An Ma island to visit the temple and hear the guide tell the legend of how Ba Be "
        "Lake was born.\n"
        "\n"
        "The boat then follows the Nang River into Puong Cave: a vast, high chamber hung "
        "with stalactites, where bats take flight as you pass. On the way back you call at a "
        "small lakeside hamlet to watch weaving or fishing.\n"
        "\n"
        "The price includes the boat, life jackets, guide and water; national park tickets "
        "are extra."
    ): {
        "zh": (
            "船从 Pác Ngòi 码头出发，穿过 Pé Lầm、Pé Lù 和 Pé Lèng 三"
            "段湖湾，两岸林木覆盖的石灰岩山壁倒映在水中。大家在安马岛上岸参观庙宇，听向导讲巴贝湖诞生"
            "的传说。\n"
            "\n"
            "随后船沿 Năng 河驶入 Puông 洞：洞厅宽阔高大，垂满钟乳石，船经过时蝙蝠纷纷飞"
            "起。回程顺路停靠湖边的小村落，看村民织布或打鱼。\n"
            "\n"
            "价格包含船费、救生衣、向导和饮用水；国家公园门票另付。"
        ),
        "ko": (
            "배는 팍응오이 선착장을 떠나 페럼, 페루, 페렝 세 갈래 호수를 건넙니다. 숲에 덮인 석회암 절벽이 "
            "물에 비쳐 보입니다. 일행은 안마섬에 내려 사당을 둘러보고, 가이드에게서 바베 호수가 생겨난 전설을 "
            "듣습니다.\n"
            "\n"
            "이어서 배는 낭강을 따라 뿌옹 동굴로 들어갑니다. 종유석이 드리운 넓고 높은 동굴 안을 지나가면 "
            "박쥐들이 날아오릅니다. 돌아오는 길에는 호숫가 작은 마을에 들러 베 짜기나 고기잡이를 구경합니다.\n"
            "\n"
            "가격에는 배, 구명조끼, 가이드, 물이 포함되며 국립공원 입장권은 별도입니다."
        ),
    },
    "The boat landing of Pac Ngoi village": {
        "zh": "Pác Ngòi 村码头",
        "ko": "팍응오이 마을 선착장",
    },
    "Trip to the Xuan Duong love market (Na Ri)": {
        "zh": "春阳“爱情集市”一日游（那里县）",
        "ko": "쑤언즈엉 사랑의 장터 여행(나리)",
    },
    (
        "A day trip to the Xuan Duong love market, held once a year on the 25th day of the "
        "12th lunar month."
    ): {
        "zh": "一日游前往每年只在农历腊月二十五开市一次的春阳“爱情集市”。",
        "ko": "해마다 음력 12월 25일 단 하루 열리는 쑤언즈엉 사랑의 장터로 떠나는 당일 여행입니다.",
    },
    (
        "The Xuan Duong love market in Na Ri district meets on just one day a year, the 25th "
        "day of the 12th lunar month, right before Tet. Tay, Nung and Dao people from the "
        "surrounding villages come in their finest clothes to meet, sing call-and-response "
        "love songs and shop for the new year; it is a rare chance to see a springtime "
        "tradition of Bac Kan.\n"
        "\n"
        "The van leaves Pac Ngoi early in the morning for about four hours of mountain "
        "roads. A Tay guide stays with you all day, explains the customs and helps you talk "
        "with the stallholders. Lunch is at the market, and you are back in the village in "
        "the evening.\n"
        "\n"
        "The price includes transport, guide and lunch. Please respect the villagers: ask "
        "before taking photos and do not interrupt the singing."
    ): {
        "zh": (
            "那里县的春阳“爱情集市”一年只开一天，就在农历腊月二十五，春节前夕。周边村寨的岱依族、侬"
            "族和瑶族人穿上最好的衣裳来赶集，相会、对唱情歌、置办年货；这是难得一见的北件迎春习俗。\n"
            "\n"
            "面包车清早从 Pác Ngòi 出发，走约四个小时的山路。岱依族向导全天陪同，讲解当地风"
            "俗，帮您和摊主交流。午饭在集市上吃，傍晚回到村里。\n"
            "\n"
            "价格包含交通、向导和午餐。请尊重当地村民：拍照前先征得同意，不要打断对歌。"
        ),
        "ko": (
            "나리현의 쑤언즈엉 사랑의 장터는 일 년에 단 하루, 뗏(설) 직전인 음력 12월 25일에만 열립니다. "
            "주변 마을의 따이족, 눙족, 자오족 사람들이 가장 좋은 옷을 차려입고 와서 서로 만나고, 주고받는 사랑 "
            "노래를 부르며 새해 장을 봅니다. 박깐의 봄맞이 풍습을 볼 수 있는 드문 기회입니다.\n"
            "\n"
            "승합차는 이른 아침 팍응오이를 떠나 산길을 약 4시간 달립니다. 따이족 가이드가 하루 종일 함께하며 "
            "풍습을 설명하고 상인들과 이야기하도록 도와줍니다. 점심은 장터에서 먹고, 저녁에 마을로 돌아옵니다.\n"
            "\n"
            "가격에는 교통, 가이드, 점심이 포함됩니다. 마을 사람들을 존중해 주세요. 사진을 찍기 전에 먼저 "
            "묻고, 노래를 방해하지 마세요."
        ),
    },
    "The yard of the Pac Ngoi village cultural house": {
        "zh": "Pác Ngòi 村文化馆院子",
        "ko": "팍응오이 마을 문화회관 마당",
    },
    "Walk up to Hua Ma Cave": {
        "zh": "徒步登 Hua Mạ 洞",
        "ko": "후아마 동굴 걸어 오르기",
    },
    (
        "An afternoon climb up the stone steps to Hua Ma Cave and its formations, returning "
        "through maize fields."
    ): {
        "zh": "午后沿石阶登上 Hua Mạ 洞，欣赏洞中奇景，再穿过玉米地返回。",
        "ko": "오후에 돌계단을 올라 후아마 동굴과 그 안의 종유석을 보고, 옥수수밭을 지나 돌아옵니다.",
    },
    (
        "A van takes the group from Pac Ngoi to the foot of the mountain, and everyone "
        "climbs the stone stairway to the mouth of Hua Ma Cave. Inside are wide chambers of "
        "stalactites and stalagmites in all kinds of shapes, lit along the path.\n"
        "\n"
        "Your guide shares the local names of the formations and explains why the limestone "
        "country around Ba Be Lake is so full of caves. You walk back through maize fields "
        "and a small hamlet before the van returns you to Pac Ngoi.\n"
        "\n"
        "The steps are steep: wear shoes with good grip and bring a light jacket, as the "
        "cave stays cool all year."
    ): {
        "zh": (
            "面包车把大家从 Pác Ngòi 送到山脚，然后沿石阶一路爬到 Hua Mạ 洞口。洞内"
            "是一个个宽阔的洞厅，钟乳石和石笋千姿百态，沿途都有灯光照明。\n"
            "\n"
            "向导会告诉您这些石头在当地的叫法，并讲解为什么巴贝湖周围的石灰岩地区有这么多溶洞。回程穿"
            "过玉米地和一个小村落，再坐面包车回到 Pác Ngòi。\n"
            "\n"
            "石阶很陡：请穿防滑的鞋，带一件薄外套，洞里一年四季都很凉。"
        ),
        "ko": (
            "승합차가 일행을 팍응오이에서 산기슭까지 데려다주면, 모두 돌계단을 올라 후아마 동굴 입구까지 갑니다. "
            "안에는 갖가지 모양의 종유석과 석순이 있는 넓은 동굴 방들이 이어지고, 길을 따라 조명이 켜져 "
            "있습니다.\n"
            "\n"
            "가이드가 바위들의 현지 이름을 알려 주고, 바베 호수 주변 석회암 지대에 왜 이렇게 동굴이 많은지 "
            "설명합니다. 돌아올 때는 옥수수밭과 작은 마을을 지나 걸은 뒤 승합차로 팍응오이에 돌아옵니다.\n"
            "\n"
            "계단이 가파르니 미끄럽지 않은 신발을 신고, 동굴 안은 일 년 내내 서늘하므로 얇은 겉옷을 챙기세요."
        ),
    },
    "Ms Lan's stilt house, Pac Ngoi village": {
        "zh": "Pác Ngòi 村 Lan 姐高脚屋",
        "ko": "팍응오이 마을 란 씨네 고상가옥",
    },
}

TEXTS: dict[str, dict[str, str]] = {**_PLACES, **_SHARED, **_LISTINGS}
