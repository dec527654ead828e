"""The tables the demo program draws from: who does which humanoid work, where, with what robots.

Kept apart from the generator so the tables can grow (a new kind of site, a new model) without
the generator's logic growing with them. Names of users and integrators are invented; makers,
models, research institutes and central SOEs are real.
"""

from dataclasses import dataclass

LOCAL = "local"
"""The sector tag of an archetype a province's own firms and public bodies can nominate."""


@dataclass(frozen=True)
class Work:
    """One scenario a user can nominate at a site: its title and the tasks it may list."""

    title: str
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class Archetype:
    """A kind of site (an auto plant, a hotel, a substation) and the humanoid work done there.

    ``sectors`` says who runs such sites: ``local`` for a province's firms, else the sectors of
    the central SOEs (see ``SoeProfile.sectors``). ``user_en``/``user_zh`` name a local user and
    take ``{city}``/``{zh}`` (the city's Chinese name without its 市/区 suffix). ``provinces``
    limits where such sites exist (mines, ports); empty means anywhere.
    """

    domain: str
    sectors: frozenset[str]
    site: str
    works: tuple[Work, ...]
    user_en: str = ""
    user_zh: str = ""
    provinces: tuple[str, ...] = ()


@dataclass(frozen=True)
class SoeProfile:
    """How a central SOE's subsidiaries are named, what they run, and where (empty: anywhere)."""

    short_en: str
    short_zh: str
    unit_en: str
    unit_zh: str
    sectors: frozenset[str]
    provinces: tuple[str, ...] = ()


@dataclass(frozen=True)
class FixedOrg:
    """An organization that is the same in every demo program (a maker, a research lab)."""

    code: str
    name: str
    name_zh: str
    province: str


@dataclass(frozen=True)
class RobotModel:
    """A humanoid model: ``prefix`` starts its serial numbers (``UT-H1-000123``)."""

    prefix: str
    model: str
    manufacturer: str


def _codes(provinces: str) -> tuple[str, ...]:
    return tuple(f"CN-{p}" for p in provinces.split())


def _arch(
    domain: str,
    sectors: str,
    site: str,
    works: dict[str, str],
    user_en: str = "",
    user_zh: str = "",
    provinces: str = "",
) -> Archetype:
    """Compact constructor: sectors and provinces space-separated, tasks ``;``-separated."""
    return Archetype(
        domain,
        frozenset(sectors.split()),
        site,
        tuple(Work(t, tuple(s.strip() for s in tasks.split(";"))) for t, tasks in works.items()),
        user_en,
        user_zh,
        _codes(provinces),
    )


_MINING = "SX NM SN HE HA AH SD GZ HL XJ NX LN JS YN SC GS JX HN CQ QH XZ"
_COAST = "TJ HE LN SH JS ZJ FJ SD GD GX HI"


FW, SV, SP = "factory_warehouse", "service", "specialized"

ARCHETYPES: tuple[Archetype, ...] = (
    _arch(
        FW,
        "local auto",
        "Final assembly plant",
        {
            "Automotive final-assembly inspection": "inspect body panel gaps; verify dashboard "
            "connector seating; check wheel-bolt torque marks; log defects to the MES",
            "Automotive parts kitting": "pick parts from flow racks; fill kit trays per vehicle order; "
            "deliver kits to the line side",
            "Door and seat installation assistance": "carry door trim panels to the line; hold seats "
            "while operators fasten bolts; scan parts for traceability",
        },
        "{city} Auto Works Co., Ltd.",
        "{zh}汽车制造有限公司",
    ),
    _arch(
        FW,
        "local auto",
        "Battery module line",
        {
            "Battery module handling": "unload cell trays from AGVs; place modules into pack housings; "
            "scan module barcodes",
            "Battery cell sorting and inspection": "measure cell voltage and resistance; sort cells "
            "into grade bins; reject swollen or dented cells",
        },
        "{city} Power Battery Co., Ltd.",
        "{zh}动力电池有限公司",
    ),
    _arch(
        FW,
        "local electronics",
        "SMT workshop",
        {
            "SMT line material replenishment": "fetch component reels from the store; load feeders on "
            "the SMT line; return empty reels",
            "Consumer-electronics final test": "place devices into test fixtures; press buttons and "
            "read screen results; sort pass and fail units",
            "Circuit-board loading and unloading": "load boards into reflow carriers; unload boards "
            "onto racks",
        },
        "{city} Electronics Manufacturing Co., Ltd.",
        "{zh}电子制造有限公司",
    ),
    _arch(
        FW,
        "local logistics retail auto",
        "Fulfilment warehouse",
        {
            "Warehouse tote picking": "pick items from shelf bins into totes; scan item barcodes; "
            "place totes on the outbound conveyor",
            "Parcel sorting": "induct parcels onto the sorter; read shipping labels; divert irregular "
            "parcels to manual lanes; stack bags onto cages",
            "Returns processing": "open returned parcels; inspect item condition; reshelve sellable items",
        },
        "{city} Supply Chain Management Co., Ltd.",
        "{zh}供应链管理有限公司",
    ),
    _arch(
        FW,
        "local machinery aero electronics",
        "Machining workshop",
        {
            "CNC machine tending": "load blanks into CNC machines; unload finished parts; blow off "
            "chips and check fixtures; record part counts",
            "Workpiece deburring and measurement": "deburr machined edges; measure key dimensions with "
            "gauges; label parts by batch",
        },
        "{city} Precision Machinery Co., Ltd.",
        "{zh}精密机械有限公司",
    ),
    _arch(
        FW,
        "local",
        "Appliance assembly line",
        {
            "Appliance assembly screw driving": "pick screws and position panels; drive screws to "
            "torque; check for missing screws",
            "Appliance packaging and palletising": "fold cartons; pack finished appliances; stack "
            "cartons on pallets",
        },
        "{city} Home Appliance Co., Ltd.",
        "{zh}家用电器有限公司",
    ),
    _arch(
        FW,
        "local",
        "Packaging workshop",
        {
            "Food packaging line tending": "feed packaging film; clear jams on the packing line; move "
            "finished cases to pallets",
            "Cold-storage case picking": "pick cases in a -18 °C freezer; label outbound pallets",
        },
        "{city} Food Co., Ltd.",
        "{zh}食品有限公司",
    ),
    _arch(
        FW,
        "local pharma",
        "Pharmaceutical distribution centre",
        {
            "Medicine order picking": "pick medicine boxes by order; check batch numbers and expiry "
            "dates; seal totes",
            "Cold-chain vaccine handling": "move vaccine boxes in cold rooms; log temperature readings",
        },
        "{city} Pharmaceutical Logistics Co., Ltd.",
        "{zh}医药物流有限公司",
    ),
    _arch(
        FW,
        "rail",
        "Bogie workshop",
        {
            "Bogie assembly assistance": "fetch bolts and brackets; tighten bolts with a smart torque "
            "wrench; record torque values",
            "Railcar underframe inspection": "inspect the underframe for loose parts; photograph "
            "defects; check cable ties and clamps",
        },
    ),
    _arch(
        FW,
        "aero",
        "Aircraft assembly hall",
        {
            "Fuselage drilling and fastening assistance": "position drilling templates; insert "
            "temporary fasteners; vacuum drilling debris",
            "Cabin wiring-harness inspection": "trace harness routing; check connector locks; report "
            "mismatches to quality",
        },
    ),
    _arch(
        FW,
        "steel",
        "Cold rolling mill",
        {
            "Steel coil label and surface inspection": "read coil labels; photograph coil surfaces; "
            "flag surface defects",
            "Steel laboratory sample handling": "receive steel samples; load samples into "
            "spectrometers; file results",
        },
    ),
    _arch(
        FW,
        "ship",
        "Hull block workshop",
        {
            "Hull block weld-seam inspection": "climb into double-bottom blocks; inspect weld seams; "
            "mark defects for rework",
            "Pipe spool handling": "carry pipe spools to fitting stations; check spool tags",
        },
    ),
    _arch(
        SV,
        "local",
        "Hotel",
        {
            "Hotel room delivery": "take items from the front desk; ride the lift; deliver towels and "
            "amenities to rooms; return to the dock",
            "Front-desk reception and luggage handling": "greet guests; answer questions in Chinese "
            "and English; carry luggage to rooms",
        },
        "{city} Grand Hotel Co., Ltd.",
        "{zh}大酒店有限公司",
    ),
    _arch(
        SV,
        "local health",
        "Elder-care home",
        {
            "Elder-care assistance": "remind residents to take medication; patrol rooms at night for "
            "falls; deliver meals to rooms; lead group exercises",
            "Rehabilitation training support": "guide gait-training exercises; hand over walking aids; "
            "record session data",
        },
        "{city} Senior Care Service Center",
        "{zh}颐养服务中心",
    ),
    _arch(
        SV,
        "local health pharma",
        "Hospital",
        {
            "Hospital logistics": "deliver specimens to the laboratory; deliver medicines to wards; "
            "transport linen carts",
            "Outpatient guidance": "greet patients at the entrance; guide patients to departments; "
            "explain self-service kiosks",
        },
        "{city} First People's Hospital",
        "{zh}第一人民医院",
    ),
    _arch(
        SV,
        "local retail petrochem",
        "Supermarket",
        {
            "Retail shelf restocking": "fetch cases from the back room; restock shelves; face "
            "products; report out-of-stock items",
            "Price-tag and stock check": "scan shelves at night; compare price tags with the system; "
            "report gaps",
        },
        "{city} Commercial Group Co., Ltd.",
        "{zh}商业集团有限公司",
    ),
    _arch(
        SV,
        "local",
        "Passenger terminal",
        {
            "Airport passenger guidance": "answer flight queries; guide passengers to gates; escort "
            "passengers who need help",
            "Baggage cart retrieval": "collect baggage carts; return carts to stations",
        },
        "{city} Airport Group Co., Ltd.",
        "{zh}机场集团有限公司",
    ),
    _arch(
        SV,
        "local",
        "Metro station",
        {
            "Metro station passenger guidance": "guide passengers to exits and transfers; help with "
            "ticket machines; report crowding",
        },
        "{city} Metro Operation Co., Ltd.",
        "{zh}地铁运营有限公司",
    ),
    _arch(
        SV,
        "local",
        "Exhibition hall",
        {
            "Exhibition hall guided tours": "lead tour groups; explain exhibits; answer visitor questions",
        },
        "{city} Science and Technology Museum",
        "{zh}科技馆",
    ),
    _arch(
        SV,
        "local",
        "Central kitchen",
        {
            "Central kitchen meal preparation": "wash and cut vegetables; portion meals into boxes; "
            "load delivery carts",
        },
        "{city} Catering Management Co., Ltd.",
        "{zh}餐饮管理有限公司",
    ),
    _arch(
        SV,
        "telecom power_grid",
        "Customer service hall",
        {
            "Customer service hall guidance": "greet customers; hand out queue numbers; guide "
            "customers to self-service terminals; answer tariff questions",
        },
    ),
    _arch(
        SP,
        "power_grid",
        "500 kV substation",
        {
            "Substation inspection": "read meters and gauges; take infrared temperature readings; "
            "check switchgear indicator lights; report anomalies",
            "Switch-cabinet operation": "operate switch-cabinet handles; rack breakers in and out; "
            "verify interlocks",
            "Cable tunnel patrol": "patrol cable tunnels; detect water and smoke; check cable joint "
            "temperatures",
        },
    ),
    _arch(
        SP,
        "power_gen",
        "Thermal power plant",
        {
            "Boiler-room inspection": "read boiler gauges; detect steam leaks by sound; check valve "
            "positions",
            "Coal conveyor patrol": "patrol the coal conveyor; detect belt deviation; clear spilled coal",
        },
    ),
    _arch(
        SP,
        "power_gen hydropower",
        "Hydropower station",
        {
            "Generator-floor inspection": "inspect generator units; read oil and water gauges; detect "
            "abnormal noise",
            "Dam gallery patrol": "patrol drainage galleries; read seepage gauges; photograph cracks",
        },
    ),
    _arch(
        SP,
        "nuclear",
        "Nuclear power plant",
        {
            "Nuclear plant valve inspection": "inspect valve positions in controlled areas; check for "
            "leaks; read local gauges",
            "Radiation-zone sampling": "collect smear samples; carry sample containers; log dose readings",
        },
    ),
    _arch(
        SP,
        "local petrochem chemical",
        "Refinery",
        {
            "Chemical plant leak detection": "patrol process units; detect gas leaks with sensors; "
            "read field gauges; report alarms",
            "Tank farm patrol": "patrol tank farms; check tank levels; inspect fire-fighting equipment",
            "Valve operation in hazardous areas": "open and close manual valves; confirm valve positions",
        },
        "{city} Petrochemical Co., Ltd.",
        "{zh}石油化工有限公司",
    ),
    _arch(
        SP,
        "offshore",
        "Offshore platform",
        {
            "Offshore platform inspection": "patrol platform decks; read pressure gauges; detect gas "
            "leaks; inspect corrosion",
        },
    ),
    _arch(
        SP,
        "pipeline petrochem",
        "Gas compressor station",
        {
            "Compressor station inspection": "read compressor gauges; detect gas leaks; listen for "
            "abnormal vibration",
            "Pipeline valve-chamber inspection": "climb down into valve chambers; check valve "
            "positions; measure gas concentration",
        },
    ),
    _arch(
        SP,
        "local mining",
        "Underground coal mine",
        {
            "Mine tunnel patrol": "patrol roadways; measure methane and CO; check roof supports",
            "Underground belt conveyor inspection": "inspect idlers; detect belt deviation and tears; "
            "clear spillage",
        },
        "{city} Coal Industry Group Co., Ltd.",
        "{zh}煤业集团有限公司",
        _MINING,
    ),
    _arch(
        SP,
        "local",
        "Fire and rescue training base",
        {
            "Firefighting support": "carry hoses into smoke-filled buildings; open doors and valves; "
            "stream video to commanders",
            "Disaster-site search": "search collapsed buildings; detect survivors by sound and heat; "
            "map the site",
        },
        "{city} Fire and Rescue Detachment",
        "{zh}消防救援支队",
    ),
    _arch(
        SP,
        "emergency",
        "Emergency rescue base",
        {
            "Disaster-site search": "search collapsed buildings; detect survivors by sound and heat; "
            "map the site",
            "Flood relief supply handling": "carry sandbags; unload relief supplies; wade through "
            "shallow water",
        },
    ),
    _arch(
        SP,
        "local",
        "Utility tunnel",
        {
            "Utility tunnel inspection": "patrol pipe galleries; detect water leaks; read gas sensors; "
            "check cable brackets",
        },
        "{city} Urban Utility Tunnel Co., Ltd.",
        "{zh}城市综合管廊有限公司",
    ),
    _arch(
        SP,
        "construction emergency",
        "Tunnel construction site",
        {
            "Tunnel construction site inspection": "measure the tunnel profile; inspect shotcrete "
            "cracks; measure air quality",
            "Rebar tying": "tie rebar intersections; check rebar spacing",
        },
    ),
    _arch(
        SP,
        "local port_logistics",
        "Container terminal",
        {
            "Container lashing-cone handling": "remove twist-locks; insert lashing cones; check lashing bars",
        },
        "{city} Port Group Co., Ltd.",
        "{zh}港口集团有限公司",
        _COAST,
    ),
    _arch(
        SP,
        "telecom",
        "Data centre",
        {
            "Data-centre inspection": "patrol server rooms; read rack indicator lights; measure "
            "temperature and humidity; swap faulty hard disks",
        },
    ),
    _arch(
        SP,
        "steel",
        "Blast furnace",
        {
            "Blast-furnace tapping-floor sampling": "take hot-metal samples; measure temperature; "
            "clear the runner",
        },
    ),
)


def _soe(
    short_en: str, short_zh: str, unit_en: str, unit_zh: str, sectors: str, provinces: str = ""
) -> SoeProfile:
    return SoeProfile(short_en, short_zh, unit_en, unit_zh, frozenset(sectors.split()), _codes(provinces))


_CSG_PROVINCES = "GD GX YN GZ HI"

SOE_PROFILES: dict[str, SoeProfile] = {
    "SOE-SGCC": _soe(
        "State Grid",
        "国网",
        "Power Supply Company",
        "供电公司",
        "power_grid",
        "BJ TJ HE SX NM LN JL HL SH JS ZJ AH FJ JX SD HA HB HN CQ SC XZ SN GS QH NX XJ",
    ),
    "SOE-CSG": _soe(
        "China Southern Power Grid", "南方电网", "Power Supply Bureau", "供电局", "power_grid", _CSG_PROVINCES
    ),
    "SOE-SINOPEC": _soe("Sinopec", "中国石化", "Petrochemical Company", "石化公司", "petrochem"),
    "SOE-CNPC": _soe(
        "PetroChina",
        "中国石油",
        "Petrochemical Company",
        "石化分公司",
        "petrochem",
        "HL LN JL SC XJ GS NM SN",
    ),
    "SOE-CNOOC": _soe("CNOOC", "中国海油", "Energy Base", "能源基地", "offshore petrochem", "TJ GD HI SD"),
    "SOE-PIPECHINA": _soe("PipeChina", "国家管网", "Pipeline Company", "管道分公司", "pipeline"),
    "SOE-CMCC": _soe("China Mobile", "中国移动", "Branch", "分公司", "telecom"),
    "SOE-CT": _soe("China Telecom", "中国电信", "Branch", "分公司", "telecom"),
    "SOE-CU": _soe("China Unicom", "中国联通", "Branch", "分公司", "telecom"),
    "SOE-FAW": _soe("FAW", "一汽", "Vehicle Plant", "整车工厂", "auto", "JL TJ SC SD GD"),
    "SOE-DFM": _soe("Dongfeng", "东风", "Vehicle Plant", "整车工厂", "auto", "HB GD GX"),
    "SOE-CHANGAN": _soe("Changan", "长安", "Vehicle Plant", "整车工厂", "auto", "CQ JS AH HE"),
    "SOE-CRRC": _soe(
        "CRRC", "中车", "Rolling Stock Company", "机车车辆公司", "rail machinery", "JL SD HN JS BJ SC"
    ),
    "SOE-COMAC": _soe("COMAC", "中国商飞", "Manufacturing Center", "制造中心", "aero", "SH BJ"),
    "SOE-BAOWU": _soe("Baowu", "宝武", "Steel Base", "钢铁基地", "steel", "SH HB AH GD XJ SX"),
    "SOE-ANSTEEL": _soe("Ansteel", "鞍钢", "Steel Works", "钢铁公司", "steel mining", "LN SC"),
    "SOE-AVIC": _soe("AVIC", "航空工业", "Aircraft Company", "飞机公司", "aero", "SN SC LN GZ JX HL TJ"),
    "SOE-CSSC": _soe("CSSC", "中国船舶", "Shipyard", "造船厂", "ship machinery", "SH LN JS GD"),
    "SOE-CETC": _soe("CETC", "中国电科", "Electronics Company", "电子公司", "electronics"),
    "SOE-CNNC": _soe("CNNC", "中核", "Nuclear Power Company", "核电公司", "nuclear", "ZJ JS FJ HI"),
    "SOE-CGN": _soe("CGN", "中广核", "Nuclear Power Company", "核电公司", "nuclear", "GD FJ LN GX"),
    "SOE-CTG": _soe("China Three Gorges", "三峡", "Power Plant", "电厂", "hydropower", "HB SC YN GZ"),
    "SOE-HUANENG": _soe("Huaneng", "华能", "Power Plant", "电厂", "power_gen"),
    "SOE-DATANG": _soe("Datang", "大唐", "Power Plant", "发电厂", "power_gen"),
    "SOE-HUADIAN": _soe("Huadian", "华电", "Power Plant", "发电厂", "power_gen"),
    "SOE-SPIC": _soe("SPIC", "国家电投", "Power Plant", "发电公司", "power_gen"),
    "SOE-CHNENERGY": _soe(
        "CHN Energy", "国家能源", "Energy Company", "能源公司", "power_gen mining", "NM SN NX SX HE LN"
    ),
    "SOE-CHINACOAL": _soe("China Coal", "中煤", "Mining Company", "矿业公司", "mining", "SX NM SN HL JS"),
    "SOE-CMG": _soe(
        "China Merchants", "招商局", "Port Company", "港口公司", "port_logistics logistics", "GD LN SD FJ"
    ),
    "SOE-COSCO": _soe(
        "COSCO Shipping",
        "中远海运",
        "Terminal Company",
        "码头公司",
        "port_logistics logistics",
        "SH GD TJ FJ ZJ",
    ),
    "SOE-CLG": _soe("China Logistics", "中国物流", "Logistics Park", "物流园", "logistics"),
    "SOE-SINOCHEM": _soe("Sinochem", "中化", "Chemical Company", "化工公司", "chemical", "SD ZJ JS FJ"),
    "SOE-MINMETALS": _soe("Minmetals", "五矿", "Mining Company", "矿业公司", "mining steel"),
    "SOE-CCCC": _soe("CCCC", "中国交建", "Project Department", "项目部", "construction"),
    "SOE-CREC": _soe("China Railway", "中国中铁", "Project Department", "项目部", "construction"),
    "SOE-CRCC": _soe("CRCC", "中国铁建", "Project Department", "项目部", "construction"),
    "SOE-POWERCHINA": _soe(
        "PowerChina", "中国电建", "Project Department", "项目部", "construction hydropower"
    ),
    "SOE-CRH": _soe("China Resources", "华润", "Company", "公司", "retail pharma health"),
    "SOE-SINOPHARM": _soe("Sinopharm", "国药", "Company", "公司", "pharma health"),
    "SOE-SINOMACH": _soe("Sinomach", "国机", "Machinery Company", "机械公司", "machinery"),
    "SOE-HEC": _soe(
        "Harbin Electric", "哈电", "Power Equipment Company", "电站设备公司", "machinery power_gen"
    ),
    "SOE-DEC": _soe(
        "Dongfang Electric", "东方电气", "Power Equipment Company", "电站设备公司", "machinery power_gen"
    ),
    "SOE-CASIC": _soe("CASIC", "航天科工", "Industrial Company", "工业公司", "aero electronics machinery"),
    "SOE-CEC": _soe("CEC", "中国电子", "Electronics Company", "电子公司", "electronics"),
    "SOE-ANNENG": _soe("China Anneng", "中国安能", "Rescue Center", "救援中心", "emergency construction"),
}

MANUFACTURERS: tuple[FixedOrg, ...] = (
    FixedOrg("MFR-UNITREE", "Unitree Robotics", "杭州宇树科技股份有限公司", "CN-ZJ"),
    FixedOrg("MFR-UBTECH", "UBTech Robotics", "深圳市优必选科技股份有限公司", "CN-GD"),
    FixedOrg("MFR-AGIBOT", "AgiBot", "上海智元新创技术有限公司", "CN-SH"),
    FixedOrg("MFR-FOURIER", "Fourier", "上海傅利叶智能科技有限公司", "CN-SH"),
    FixedOrg("MFR-GALBOT", "Galbot", "北京银河通用机器人有限公司", "CN-BJ"),
    FixedOrg("MFR-LEJU", "Leju Robotics", "乐聚（深圳）机器人技术有限公司", "CN-GD"),
    FixedOrg("MFR-KEPLER", "Kepler Exploration Robotics", "上海开普勒探索机器人有限公司", "CN-SH"),
    FixedOrg("MFR-XIAOMI", "Xiaomi Robotics", "北京小米机器人技术有限公司", "CN-BJ"),
    FixedOrg("MFR-ASTRIBOT", "Astribot", "深圳星尘智能科技有限公司", "CN-GD"),
)

ROBOT_MODELS: tuple[RobotModel, ...] = (
    RobotModel("UT-H1", "Unitree H1", "MFR-UNITREE"),
    RobotModel("UT-G1", "Unitree G1", "MFR-UNITREE"),
    RobotModel("UB-WS2", "UBTech Walker S2", "MFR-UBTECH"),
    RobotModel("AG-A2", "AgiBot A2", "MFR-AGIBOT"),
    RobotModel("FR-GR2", "Fourier GR-2", "MFR-FOURIER"),
    RobotModel("GB-G1", "Galbot G1", "MFR-GALBOT"),
    RobotModel("LJ-KUAVO", "Leju Kuavo", "MFR-LEJU"),
    RobotModel("KP-K2", "Kepler K2", "MFR-KEPLER"),
    RobotModel("XM-CYBERONE", "Xiaomi CyberOne", "MFR-XIAOMI"),
    RobotModel("AS-S1", "Astribot S1", "MFR-ASTRIBOT"),
)

ALGORITHM_TEAMS: tuple[FixedOrg, ...] = (
    FixedOrg("ALG-BAAI", "Beijing Academy of Artificial Intelligence", "北京智源人工智能研究院", "CN-BJ"),
    FixedOrg(
        "ALG-BHRIC", "Beijing Humanoid Robot Innovation Center", "北京人形机器人创新中心有限公司", "CN-BJ"
    ),
    FixedOrg(
        "ALG-CASIA", "Institute of Automation, Chinese Academy of Sciences", "中国科学院自动化研究所", "CN-BJ"
    ),
    FixedOrg("ALG-SHAILAB", "Shanghai Artificial Intelligence Laboratory", "上海人工智能实验室", "CN-SH"),
    FixedOrg(
        "ALG-HRIC",
        "National and Local Co-Built Humanoid Robotics Innovation Center",
        "国家地方共建人形机器人创新中心",
        "CN-SH",
    ),
    FixedOrg("ALG-ZJLAB", "Zhejiang Lab", "之江实验室", "CN-ZJ"),
    FixedOrg("ALG-PCL", "Peng Cheng Laboratory", "鹏城实验室", "CN-GD"),
    FixedOrg(
        "ALG-SIAT", "Shenzhen Institutes of Advanced Technology, CAS", "中国科学院深圳先进技术研究院", "CN-GD"
    ),
    FixedOrg("ALG-SIA", "Shenyang Institute of Automation, CAS", "中国科学院沈阳自动化研究所", "CN-LN"),
    FixedOrg(
        "ALG-HIT",
        "Harbin Institute of Technology, State Key Laboratory of Robotics",
        "哈尔滨工业大学机器人技术与系统全国重点实验室",
        "CN-HL",
    ),
    FixedOrg(
        "ALG-HUST",
        "Huazhong University of Science and Technology, School of Mechanical Science and Engineering",
        "华中科技大学机械科学与工程学院",
        "CN-HB",
    ),
)

INTEGRATOR_NAMES: tuple[tuple[str, str], ...] = (
    ("{city} Zhizao Robot System Integration Co., Ltd.", "{zh}智造机器人系统集成有限公司"),
    ("{city} Hengtai Intelligent Equipment Co., Ltd.", "{zh}恒泰智能装备有限公司"),
    ("{city} Lianke Automation Engineering Co., Ltd.", "{zh}联科自动化工程有限公司"),
    ("{city} Qiyuan Embodied Intelligence Technology Co., Ltd.", "{zh}启元具身智能科技有限公司"),
    ("{city} Tongda Industrial Robot Service Co., Ltd.", "{zh}通达工业机器人服务有限公司"),
)
