"""
A synthetic dataset of realistic shape, at any scale, for measuring search (and lists).

``generate(events=100_000, seed=1)`` makes, per 100,000 events: 5,000 actors (people with
Latin, Cyrillic and Arabic names and transliteration aliases, states, ministries, companies,
armed groups, media), 10,000 agreements, 20,000 sources in English, Russian and Arabic,
~1,700 ties, ~250,000 participants and parties and ~230,000 citations quoting the sources in
their own language. ~5% of records are not published, as in a real editorial database. The
same seed gives the same data. Rows are written with ``bulk_create`` in batches, their
search documents derived in memory by the models' own ``set_search_document`` (bulk_create
skips ``save()``); the documents that read other rows (an event's participants' names, a
source's quotes) are then rebuilt from the database by ``refresh_search_documents``, the
code path saves take. No history is recorded for them.

Synthetic records are marked: slugs start with ``syn-``, source URLs with SYNTHETIC_URL.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from actors.models import Actor, ActorAlias, Tie
from articles.models import (
    Agreement,
    AgreementParty,
    Citation,
    Event,
    EventParticipant,
    Source,
    Topic,
)
from ruiraq.models import EditorialStatus, Stance
from ruiraq.search import documents

SLUG_PREFIX = "syn-"
SYNTHETIC_URL = "https://synthetic.ruiraq.invalid/"

# fmt: off
# --- vocabulary: (English, Russian, Arabic) -----------------------------------------------

RUSSIAN_FIRST = [
    ("Sergey", "Сергей", "سيرغي", "Sergei"),
    ("Maxim", "Максим", "مكسيم", "Maksim"),
    ("Mikhail", "Михаил", "ميخائيل", ""),
    ("Yuri", "Юрий", "يوري", "Yury"),
    ("Nikolai", "Николай", "نيكولاي", "Nikolay"),
    ("Vladimir", "Владимир", "فلاديمير", ""),
    ("Dmitry", "Дмитрий", "دميتري", "Dmitri"),
    ("Alexander", "Александр", "ألكسندر", "Aleksandr"),
    ("Andrei", "Андрей", "أندريه", "Andrey"),
    ("Ivan", "Иван", "إيفان", ""),
    ("Pavel", "Павел", "بافل", ""),
    ("Oleg", "Олег", "أوليغ", ""),
    ("Konstantin", "Константин", "كونستانتين", ""),
    ("Viktor", "Виктор", "فيكتور", "Victor"),
    ("Igor", "Игорь", "إيغور", ""),
    ("Alexei", "Алексей", "أليكسي", "Alexey"),
]
RUSSIAN_LAST = [
    ("Lavrov", "Лавров", "لافروف", ""),
    ("Maximov", "Максимов", "ماكسيموف", "Maksimov"),
    ("Borisov", "Борисов", "بوريسوف", ""),
    ("Bogdanov", "Богданов", "بوغدانوف", ""),
    ("Patrushev", "Патрушев", "باتروشيف", ""),
    ("Kosachev", "Косачёв", "كوساتشيف", "Kosachyov"),
    ("Ivanov", "Иванов", "إيفانوف", ""),
    ("Petrov", "Петров", "بيتروف", ""),
    ("Sokolov", "Соколов", "سوكولوف", ""),
    ("Volkov", "Волков", "فولكوف", ""),
    ("Morozov", "Морозов", "موروزوف", ""),
    ("Novikov", "Новиков", "نوفيكوف", ""),
    ("Fedorov", "Фёдоров", "فيدوروف", "Fyodorov"),
    ("Orlov", "Орлов", "أورلوف", ""),
    ("Kuznetsov", "Кузнецов", "كوزنيتسوف", ""),
    ("Popov", "Попов", "بوبوف", ""),
    ("Smirnov", "Смирнов", "سميرنوف", ""),
    ("Lebedev", "Лебедев", "ليبيديف", ""),
    ("Zakharov", "Захаров", "زاخاروف", ""),
    ("Shoigu", "Шойгу", "شويغو", ""),
    ("Novak", "Новак", "نوفاك", ""),
    ("Sechin", "Сечин", "سيتشين", ""),
    ("Alekperov", "Алекперов", "ألكبيروف", ""),
    ("Manturov", "Мантуров", "مانتوروف", ""),
]
ARAB_FIRST = [
    ("Mohammed", "Мухаммед", "محمد", "Muhammad"),
    ("Ali", "Али", "علي", ""),
    ("Ahmed", "Ахмед", "أحمد", "Ahmad"),
    ("Haidar", "Хайдар", "حيدر", "Haider"),
    ("Hussein", "Хусейн", "حسين", "Husain"),
    ("Mahdi", "Махди", "مهدي", "Mehdi"),
    ("Ammar", "Аммар", "عمار", ""),
    ("Nouri", "Нури", "نوري", "Nuri"),
    ("Fuad", "Фуад", "فؤاد", "Fouad"),
    ("Hassan", "Хасан", "حسن", ""),
    ("Ibrahim", "Ибрагим", "إبراهيم", ""),
    ("Jabbar", "Джаббар", "جبار", ""),
    ("Adil", "Адиль", "عادل", "Adel"),
    ("Karim", "Карим", "كريم", "Kareem"),
    ("Omar", "Омар", "عمر", "Umar"),
    ("Salih", "Салих", "صالح", "Saleh"),
]
ARAB_LAST = [
    ("al-Hakim", "аль-Хаким", "الحكيم", "Alhakim"),
    ("al-Maliki", "аль-Малики", "المالكي", ""),
    ("al-Abadi", "аль-Абади", "العبادي", ""),
    ("al-Sudani", "ас-Судани", "السوداني", ""),
    ("al-Jaafari", "аль-Джафари", "الجعفري", "al-Jafari"),
    ("Zebari", "Зебари", "زيباري", ""),
    ("Barzani", "Барзани", "بارزاني", ""),
    ("Talabani", "Талабани", "طالباني", ""),
    ("al-Amiri", "аль-Амири", "العامري", ""),
    ("Allawi", "Аллави", "علاوي", ""),
    ("al-Sadr", "ас-Садр", "الصدر", ""),
    ("Abdul-Mahdi", "Абдул-Махди", "عبد المهدي", ""),
    ("al-Kadhimi", "аль-Казыми", "الكاظمي", "al-Kazimi"),
    ("al-Araji", "аль-Араджи", "الأعرجي", ""),
    ("al-Alaq", "аль-Аляк", "العلاق", ""),
    ("Hadi", "Хади", "هادي", ""),
]
# (English, Russian, Arabic, kind, country, aliases)
NAMED_ORGS = [
    ("Russia", "Россия", "روسيا", "state", "RU", ["Russian Federation", "Российская Федерация"]),
    ("Iraq", "Ирак", "العراق", "state", "IQ", ["Republic of Iraq", "جمهورية العراق"]),
    ("Iran", "Иран", "إيران", "state", "IR", []),
    ("Syria", "Сирия", "سوريا", "state", "SY", []),
    ("Turkey", "Турция", "تركيا", "state", "TR", ["Türkiye"]),
    ("United States", "США", "الولايات المتحدة", "state", "US", ["US", "USA", "Соединённые Штаты"]),
    ("Rosneft", "Роснефть", "روسنفت", "company", "RU", []),
    ("Lukoil", "Лукойл", "لوك أويل", "company", "RU", ["LUKOIL"]),
    ("Gazprom Neft", "Газпром нефть", "غازبروم نفط", "company", "RU", ["Gazpromneft"]),
    ("Rosoboronexport", "Рособоронэкспорт", "روس أوبورون إكسبورت", "company", "RU", []),
    ("Rostec", "Ростех", "روستيخ", "company", "RU", ["Rostekh"]),
    ("Rosatom", "Росатом", "روساتوم", "company", "RU", []),
    ("Stroytransgaz", "Стройтрансгаз", "ستروي ترانس غاز", "company", "RU", []),
    ("Basra Oil Company", "", "شركة نفط البصرة", "company", "IQ", ["BOC"]),
    ("North Oil Company", "", "شركة نفط الشمال", "company", "IQ", ["NOC"]),
    ("Ministry of Oil of Iraq", "Министерство нефти Ирака", "وزارة النفط العراقية",
     "government_body", "IQ", ["Iraqi Oil Ministry"]),
    ("Ministry of Defence of Iraq", "Министерство обороны Ирака", "وزارة الدفاع العراقية",
     "government_body", "IQ", []),
    ("Russian Foreign Ministry", "МИД России", "وزارة الخارجية الروسية",
     "government_body", "RU", ["Ministry of Foreign Affairs of Russia"]),
    ("Russian Defence Ministry", "Минобороны России", "وزارة الدفاع الروسية",
     "government_body", "RU", []),
    ("Kurdistan Regional Government", "Региональное правительство Курдистана",
     "حكومة إقليم كردستان", "government_body", "IQ", ["KRG"]),
    ("Popular Mobilization Units", "Силы народной мобилизации", "الحشد الشعبي",
     "armed_group", "IQ", ["PMU", "PMF", "al-Hashd al-Shaabi", "الحشد"]),
    ("Islamic State", "Исламское государство", "الدولة الإسلامية",
     "armed_group", "", ["IS", "ISIS", "ISIL", "Daesh", "ИГИЛ", "داعش"]),
    ("TASS", "ТАСС", "تاس", "media", "RU", []),
    ("RIA Novosti", "РИА Новости", "ريا نوفوستي", "media", "RU", []),
    ("Rudaw", "Рудау", "روداو", "media", "IQ", []),
    ("Arab League", "Лига арабских государств", "جامعة الدول العربية",
     "international_org", "", ["League of Arab States"]),
]
REGIONS = [
    ("Basra", "Басра", "البصرة"),
    ("Kirkuk", "Киркук", "كركوك"),
    ("Maysan", "Мейсан", "ميسان"),
    ("Dhi Qar", "Ди-Кар", "ذي قار"),
    ("Anbar", "Анбар", "الأنبار"),
    ("Nineveh", "Найнава", "نينوى"),
    ("Erbil", "Эрбиль", "أربيل"),
    ("Baghdad", "Багдад", "بغداد"),
    ("Wasit", "Васит", "واسط"),
    ("Najaf", "Наджаф", "النجف"),
    ("Tyumen", "Тюмень", "تيومين"),
    ("Samara", "Самара", "سامارا"),
    ("Kazan", "Казань", "قازان"),
    ("Volga", "Волга", "الفولغا"),
    ("Ural", "Урал", "الأورال"),
    ("Siberia", "Сибирь", "سيبيريا"),
]
SECTORS = [
    ("Oil", "нефть", "النفط"),
    ("Gas", "газ", "الغاز"),
    ("Drilling", "бурение", "الحفر"),
    ("Power", "энерго", "الطاقة"),
    ("Construction", "строй", "الإنشاءات"),
    ("Engineering", "инжиниринг", "الهندسة"),
    ("Logistics", "логистика", "النقل"),
    ("Trading", "трейд", "التجارة"),
    ("Defence Systems", "оборонсистемы", "الأنظمة الدفاعية"),
]
ORG_SUFFIXES = ["Company", "Group", "Holding", "Services", "Corporation"]
CITIES = [
    ("Baghdad", "Багдад", "بغداد", "IQ"),
    ("Moscow", "Москва", "موسكو", "RU"),
    ("Basra", "Басра", "البصرة", "IQ"),
    ("Erbil", "Эрбиль", "أربيل", "IQ"),
    ("Kirkuk", "Киркук", "كركوك", "IQ"),
    ("Mosul", "Мосул", "الموصل", "IQ"),
    ("Najaf", "Наджаф", "النجف", "IQ"),
    ("Karbala", "Кербела", "كربلاء", "IQ"),
    ("Sochi", "Сочи", "سوتشي", "RU"),
    ("St Petersburg", "Санкт-Петербург", "سانت بطرسبرغ", "RU"),
    ("Sulaymaniyah", "Сулеймания", "السليمانية", "IQ"),
    ("Kazan", "Казань", "قازان", "RU"),
    ("Tehran", "Тегеран", "طهران", "IR"),
    ("Damascus", "Дамаск", "دمشق", "SY"),
]
# (topic slug, English, Russian, Arabic)
TOPIC_PHRASES = [
    ("energy", "oil production", "добыча нефти", "إنتاج النفط"),
    ("energy", "gas field development", "разработка газового месторождения", "تطوير حقل الغاز"),
    ("energy", "Kirkuk oil exports", "экспорт киркукской нефти", "صادرات نفط كركوك"),
    ("energy", "pipeline construction", "строительство трубопровода", "بناء خط الأنابيب"),
    ("energy", "electricity supply", "поставки электроэнергии", "إمدادات الكهرباء"),
    ("defence", "arms deliveries", "поставки вооружений", "توريد الأسلحة"),
    ("defence", "air defence", "противовоздушная оборона", "الدفاع الجوي"),
    ("defence", "military training", "военная подготовка", "التدريب العسكري"),
    ("defence", "helicopter maintenance", "обслуживание вертолётов", "صيانة المروحيات"),
    ("counter-terrorism", "counter-terrorism cooperation", "сотрудничество в борьбе с терроризмом",
     "التعاون في مكافحة الإرهاب"),
    ("counter-terrorism", "intelligence sharing", "обмен разведданными",
     "تبادل المعلومات الاستخباراتية"),
    ("trade-and-economy", "wheat exports", "экспорт пшеницы", "صادرات القمح"),
    ("trade-and-economy", "debt settlement", "урегулирование долга", "تسوية الديون"),
    ("trade-and-economy", "trade turnover", "товарооборот", "التبادل التجاري"),
    ("diplomacy", "bilateral relations", "двусторонние отношения", "العلاقات الثنائية"),
    ("diplomacy", "regional security", "региональная безопасность", "الأمن الإقليمي"),
    ("diplomacy", "the Syrian settlement", "сирийское урегулирование", "التسوية السورية"),
    ("parliamentary", "inter-parliamentary cooperation", "межпарламентское сотрудничество",
     "التعاون البرلماني"),
    ("education", "student scholarships", "студенческие стипендии", "المنح الدراسية"),
    ("culture", "cultural exchange", "культурный обмен", "التبادل الثقافي"),
]
WEAPONS = [
    ("T-90 tanks", "танков Т-90", "دبابات تي-90"),
    ("Mi-28 helicopters", "вертолётов Ми-28", "مروحيات مي-28"),
    ("Mi-35 helicopters", "вертолётов Ми-35", "مروحيات مي-35"),
    ("S-400 air defence systems", "комплексов С-400", "منظومات إس-400"),
    ("Pantsir-S1 systems", "комплексов «Панцирь-С1»", "منظومات بانتسير"),
    ("Su-25 aircraft", "штурмовиков Су-25", "طائرات سوخوي-25"),
    ("TOS-1A launchers", "систем ТОС-1А", "راجمات توس"),
    ("Kornet missiles", "ПТРК «Корнет»", "صواريخ كورنيت"),
]
FIELDS = [
    ("West Qurna-2", "Западная Курна-2", "غرب القرنة 2"),
    ("Majnoon", "Маджнун", "مجنون"),
    ("Rumaila", "Румайла", "الرميلة"),
    ("Badra", "Бадра", "بدرة"),
    ("Akkas", "Аккас", "عكاز"),
    ("Mansuriya", "Мансурия", "المنصورية"),
    ("Siba", "Сиба", "السيبة"),
    ("Block 10", "Блок 10", "الرقعة 10"),
    ("Halfaya", "Халфая", "حلفاية"),
]
OUTLETS = {
    "en": ["Reuters", "Al-Monitor", "Rudaw", "Iraqi News", "The National", "Middle East Eye"],
    "ru": ["ТАСС", "РИА Новости", "Интерфакс", "Коммерсантъ", "Ведомости"],
    "ar": ["وكالة الأنباء العراقية", "السومرية نيوز", "الشرق الأوسط", "روداو عربية"],
}
AUTHORS = ["J. Smith", "A. Karimova", "M. Hussein", "D. Ivanov", "S. Rahman", "L. Petrova",
           "K. Aziz", "N. Orlova", "R. Haddad", "T. Walker"]
TOPICS = [
    ("defence", "Defence"), ("energy", "Energy"), ("counter-terrorism", "Counter-terrorism"),
    ("trade-and-economy", "Trade and economy"), ("diplomacy", "Diplomacy"),
    ("parliamentary", "Parliamentary"), ("education", "Education"), ("culture", "Culture"),
]
EVENT_KINDS = ["visit", "meeting", "talks", "delivery", "signing", "statement",
               "commission_session", "operation", "election"]
AGREEMENT_KINDS = ["arms_contract", "energy_contract", "investment", "memorandum", "treaty",
                   "intergovernmental_body", "cooperation_programme"]
AGREEMENT_STATUSES = ["reported", "negotiating", "signed", "in_force", "completed",
                      "suspended", "renounced", "denied"]
POSITIONS = ["Minister", "Deputy Minister", "Ambassador", "Chief Executive", "Adviser",
             "Spokesperson", "Director", "Member"]
# Other spellings of name parts in Cyrillic and Arabic script (ج for غ, э for а, …).
CYRILLIC_SPELLINGS = {"Мухаммед": "Мохаммед", "Хусейн": "Хусеин", "Хайдар": "Хайдер",
                      "аль-Малики": "эль-Малики", "аль-Хаким": "эль-Хаким", "Косачёв": "Косачев",
                      "Фёдоров": "Федоров", "Джаббар": "Джабар"}
ARABIC_SPELLINGS = {"سيرغي": "سيرجي", "ألكسندر": "الكسندر", "فلاديمير": "فلاديمر",
                    "ميخائيل": "ميخائل", "ماكسيموف": "مكسيموف", "إيغور": "ايغور",
                    "أوليغ": "اوليغ", "بوغدانوف": "بوجدانوف"}
# fmt: on


def _language(text):
    """The language code an alias in this script most likely has."""
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "ru"
    if any("\u0600" <= ch <= "\u06ff" for ch in text):
        return "ar"
    return "en"


PUBLISHED = EditorialStatus.PUBLISHED
# ~95% published; the rest spread over the other states, as in a working database.
STATUS_WEIGHTS = [
    (PUBLISHED, 95),
    (EditorialStatus.DRAFT, 3),
    (EditorialStatus.IN_REVIEW, 1),
    (EditorialStatus.WITHDRAWN, 1),
]


@dataclass
class _Person:
    actor: Actor
    en: str
    ru: str
    ar: str
    last: str
    last_ru: str
    last_ar: str


@dataclass
class _Pools:
    people: list = field(default_factory=list)
    orgs: list = field(default_factory=list)  # (actor, en, ru, ar)
    sources: list = field(default_factory=list)  # (id, language, published?)
    published_sources: list = field(default_factory=list)  # those of them published
    agreement_ids: list = field(default_factory=list)
    topics: dict = field(default_factory=dict)


class Generator:
    def __init__(self, events, seed=1, batch_size=2000, log=None):
        self.n_events = events
        self.n_actors = max(40, events // 20)
        self.n_sources = max(6, events // 5)
        self.n_agreements = max(3, events // 10)
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.log = log or (lambda message: None)
        self.pools = _Pools()
        self.now = timezone.now()
        self.counts = {}

    # --- small helpers -------------------------------------------------------------------

    def _status(self):
        r = self.rng.randrange(100)
        for status, weight in STATUS_WEIGHTS:
            if r < weight:
                return status
            r -= weight
        return PUBLISHED

    def _editorial(self):
        status = self._status()
        return {
            "status": status,
            "published_at": self.now if status == PUBLISHED else None,
            "withdrawn_at": self.now if status == EditorialStatus.WITHDRAWN else None,
        }

    def _date(self):
        """A fuzzy date between 2003 and 2025, stored as the first day of its period."""
        day = dt.date(2003, 1, 1) + dt.timedelta(days=self.rng.randrange(23 * 365))
        precision = self.rng.choices(["day", "month", "year"], weights=[70, 20, 10])[0]
        if precision == "month":
            day = day.replace(day=1)
        elif precision == "year":
            day = day.replace(month=1, day=1)
        return day, precision

    def _slug(self, n, text):
        return f"{SLUG_PREFIX}{n}-{slugify(text)}"[:120].rstrip("-")

    def _count(self, name, n):
        self.counts[name] = self.counts.get(name, 0) + n

    def _bulk(self, model, objs):
        model.objects.bulk_create(objs, batch_size=self.batch_size)
        self._count(model._meta.verbose_name_plural, len(objs))
        return objs

    # --- the dataset ---------------------------------------------------------------------

    def run(self):
        with transaction.atomic():
            self._topics()
            self._actors()
            self._sources()
            self._actor_evidence()
            self._ties()
            self._agreements()
            self._events()
            # Statistics of the rows written so far (this transaction's own rows count):
            # without them the documents' queries were planned for empty tables, and at
            # 1,000,000 events each batch of 500 took 10 s instead of 0.05 s.
            self._analyze("ANALYZE")
            self._documents()
            self._status_dates()
        # Fresh statistics so the planner sees the new data, and (outside a transaction) the
        # GIN pending lists merged, before anyone measures anything.
        self._analyze("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return self.counts

    def _analyze(self, command):
        """``command`` (ANALYZE, or VACUUM ANALYZE) on every table written, on PostgreSQL."""
        if connection.vendor == "postgresql":
            # Every table written, the many-to-many ones included: without statistics on
            # articles_event_topics the planner walked it by topic for the API's topics
            # prefetch (23 ms instead of 0.1 ms at 100,000 events), and a server with
            # autovacuum off never gathers them itself.
            tables = [
                m._meta.db_table
                for m in (
                    Topic,
                    Actor,
                    ActorAlias,
                    Tie,
                    Source,
                    Event,
                    Agreement,
                    Citation,
                    EventParticipant,
                    AgreementParty,
                    Event.topics.through,
                    Event.agreements.through,
                    Agreement.topics.through,
                )
            ]
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"{command} {table}")

    def _topics(self):
        for slug, name in TOPICS:
            topic, _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name})
            self.pools.topics[slug] = topic.pk

    def _sources(self):
        rng = self.rng
        for start in range(0, self.n_sources, self.batch_size):
            batch = []
            for n in range(start, min(start + self.batch_size, self.n_sources)):
                language = rng.choices(["en", "ru", "ar"], weights=[60, 25, 15])[0]
                title = self._source_title(language)
                published, precision = self._date()
                source = Source(
                    slug=self._slug(n, f"source-{language}"),
                    title=title,
                    url=f"{SYNTHETIC_URL}{language}/{published.year}/{n}",
                    outlet=rng.choice(OUTLETS[language]),
                    authors=rng.choice(AUTHORS) if rng.random() < 0.6 else "",
                    language=language,
                    kind=rng.choices(
                        ["news", "analysis", "official_statement", "interview", "document"],
                        weights=[60, 15, 15, 5, 5],
                    )[0],
                    published_date=published,
                    published_precision=precision,
                    summary=self._summary("en") if rng.random() < 0.5 else "",
                    # The first source is published: every published record cites one.
                    **(self._editorial() if n else {"status": PUBLISHED, "published_at": self.now}),
                )
                source.set_search_document()
                batch.append(source)
            self._bulk(Source, batch)
            self.pools.sources += [(s.pk, s.language, s.status == PUBLISHED) for s in batch]
            self.pools.published_sources += [s for s in self.pools.sources[-len(batch) :] if s[2]]
        self.log(f"sources: {self.n_sources}")

    def _actors(self):
        rng = self.rng
        actors, aliases = [], []
        n = 0
        for en, ru, ar, kind, country, alias_names in NAMED_ORGS[: self.n_actors // 2]:
            # The well-known names are always published.
            actor = Actor(
                slug=self._slug(n, en),
                kind=kind,
                name=en,
                name_ru=ru,
                name_ar=ar,
                country=country,
                description=f"{en}.",
                status=PUBLISHED,
                published_at=self.now,
            )
            actors.append(
                (
                    actor,
                    [
                        (a, _language(a), "acronym" if a.isupper() else "variant")
                        for a in alias_names
                    ],
                )
            )
            self.pools.orgs.append((actor, en, ru or en, ar or en))
            n += 1
        n_people = (self.n_actors - n) * 3 // 5
        for _ in range(n_people):
            russian = rng.random() < 0.5
            first = rng.choice(RUSSIAN_FIRST if russian else ARAB_FIRST)
            last = rng.choice(RUSSIAN_LAST if russian else ARAB_LAST)
            en = f"{first[0]} {last[0]}"
            actor = Actor(
                slug=self._slug(n, en),
                kind="person",
                name=en,
                name_ru=f"{first[1]} {last[1]}" if rng.random() < (0.9 if russian else 0.4) else "",
                name_ar=f"{first[2]} {last[2]}" if rng.random() < (0.4 if russian else 0.9) else "",
                country="RU" if russian else "IQ",
                description=(
                    f"{rng.choice(POSITIONS)} in the {'Russian' if russian else 'Iraqi'} "
                    f"{rng.choice(SECTORS)[0].lower()} sector."
                ),
                **self._editorial(),
            )
            variants = []
            if first[3] or last[3]:
                variant = f"{first[3] or first[0]} {last[3] or last[0]}"
                if rng.random() < 0.7:
                    variants.append((variant, "en", "transliteration"))
            # Other spellings in the native scripts, as other papers write them.
            for full, spellings, language in (
                (f"{first[1]} {last[1]}", CYRILLIC_SPELLINGS, "ru"),
                (f"{first[2]} {last[2]}", ARABIC_SPELLINGS, "ar"),
            ):
                variant = " ".join(spellings.get(word, word) for word in full.split(" "))
                if variant != full and rng.random() < 0.5:
                    variants.append((variant, language, "variant"))
            actors.append((actor, variants))
            self.pools.people.append(
                _Person(
                    actor,
                    en,
                    f"{first[1]} {last[1]}",
                    f"{first[2]} {last[2]}",
                    last[0],
                    last[1],
                    last[2],
                )
            )
            n += 1
        while n < self.n_actors:
            region, sector = rng.choice(REGIONS), rng.choice(SECTORS)
            en = f"{region[0]} {sector[0]} {rng.choice(ORG_SUFFIXES)}"
            ru = f"{region[1]}{sector[1]}" if rng.random() < 0.5 else ""
            ar = f"شركة {sector[2]} {region[2]}" if rng.random() < 0.5 else ""
            actor = Actor(
                slug=self._slug(n, en),
                kind="company",
                name=en,
                name_ru=ru,
                name_ar=ar,
                country="IQ" if region in REGIONS[:10] else "RU",
                description=f"A {sector[0].lower()} company.",
                **self._editorial(),
            )
            acronym = "".join(w[0] for w in en.split()).upper()
            actors.append((actor, [(acronym, "en", "acronym")] if rng.random() < 0.3 else []))
            self.pools.orgs.append((actor, en, ru or en, ar or en))
            n += 1
        for actor, variants in actors:
            actor.set_search_document(name for name, _, _ in variants)
        self._bulk(Actor, [actor for actor, _ in actors])
        for actor, variants in actors:
            aliases += [
                ActorAlias(actor=actor, name=name, language=language, kind=kind)
                for name, language, kind in variants
            ]
        self._bulk(ActorAlias, aliases)
        self.log(f"actors: {len(actors)}, aliases: {len(aliases)}")

    def _actor_evidence(self):
        """A supporting citation of a published source for every published actor."""
        actors = Actor.objects.filter(slug__startswith=SLUG_PREFIX, status=PUBLISHED)
        citations = [
            self._citation([], actor=actor, supporting=True) for actor in actors.only("pk")
        ]
        self._bulk(Citation, citations)

    def _status_dates(self):
        """bulk_create sends no signal: date the statuses from the evidence made above."""
        Tie.refresh_status_as_of(
            Tie.objects.filter(subject__slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)
        )
        for model in (Event, Agreement):
            pks = model.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)
            model.refresh_status_as_of(pks)

    def _ties(self):
        rng = self.rng
        ties = []
        for person in rng.sample(self.pools.people, len(self.pools.people) // 2):
            org = rng.choice(self.pools.orgs)[0]
            start, precision = self._date()
            ties.append(
                Tie(
                    subject=person.actor,
                    object=org,
                    kind="position",
                    title=f"{rng.choice(POSITIONS)}, {org.name}",
                    start_date=start,
                    start_precision=precision,
                    **self._editorial(),
                )
            )
        self._bulk(Tie, ties)
        citations = [
            self._citation(tie=tie, people=[], supporting=tie.status == PUBLISHED) for tie in ties
        ]
        self._bulk(Citation, citations)
        self.log(f"ties: {len(ties)}")

    # --- texts -----------------------------------------------------------------------------

    def _source_title(self, language):
        rng = self.rng
        person = rng.choice(self.pools.people) if self.pools.people else None
        topic = rng.choice(TOPIC_PHRASES)
        city = rng.choice(CITIES)
        if language == "ru":
            who = person.ru if person else "Россия и Ирак"
            return f"{who}: {topic[2]} в центре переговоров в городе {city[1]}"
        if language == "ar":
            who = person.ar if person else "روسيا والعراق"
            return f"{who} يبحث {topic[3]} في {city[2]}"
        who = person.en if person else "Russia and Iraq"
        return f"{who} discusses {topic[1]} in {city[0]}"

    def _summary(self, language, people=(), topic=None, city=None):
        rng = self.rng
        topic = topic or rng.choice(TOPIC_PHRASES)
        city = city or rng.choice(CITIES)
        other = rng.choice(TOPIC_PHRASES)
        names = " and ".join(p.en for p in people) or "Russian and Iraqi officials"
        sentences = [
            f"{names} discussed {topic[1]} and {other[1]} in {city[0]}.",
            rng.choice(
                [
                    f"The sides agreed to continue cooperation on {topic[1]}.",
                    f"Officials said {rng.choice(FIELDS)[0]} would remain a priority.",
                    f"The talks followed earlier contacts on {other[1]}.",
                    "Reports differ on the timetable and the value of the deal.",
                    f"{rng.choice(self.pools.orgs)[1]} was named as a possible partner."
                    if self.pools.orgs
                    else "No partner was named.",
                ]
            ),
        ]
        return " ".join(sentences)

    def _quote(self, language, people, topic, city):
        person = people[0] if people else None
        if language == "ru":
            who = person.ru if person else "Представитель МИД"
            return (
                f"«Мы обсудили {topic[2]} с иракскими партнёрами», "
                f"— заявил {who} в городе {city[1]}."
            )
        if language == "ar":
            who = person.ar if person else "متحدث باسم الحكومة"
            return f"قال {who} في {city[2]} إن الجانبين بحثا {topic[3]}."
        who = person.en if person else "An official"
        return f"“We discussed {topic[1]} with our partners,” {who} said in {city[0]}."

    def _citation(self, people, topic=None, city=None, supporting=False, **target):
        """A citation of a random source; ``supporting``: one that supports its record from
        a published source, as every published record has (EditorialModel.validate_publishable)."""
        # The published ones are kept aside: filtering every source for every supporting
        # citation was quadratic (at 1,000,000 events, 200,000 sources read for each of a
        # million citations: the run never finished).
        pool = self.pools.published_sources if supporting else self.pools.sources
        source_id, language, published = self.rng.choice(pool)
        topic = topic or self.rng.choice(TOPIC_PHRASES)
        city = city or self.rng.choice(CITIES)
        supports = supporting or self.rng.random() < 0.95
        citation = Citation(
            source_id=source_id,
            quote=self._quote(language, people, topic, city),
            locator=f"paragraph {self.rng.randint(1, 12)}",
            stance=Stance.SUPPORTS if supports else Stance.DISPUTES,
            **target,
        )
        citation._published_source = published
        return citation

    def _event_title(self, kind, people, orgs, topic, city):
        rng = self.rng
        p = people[0].en if people else orgs[0][1]
        p2 = people[1].en if len(people) > 1 else orgs[0][1]
        weapon, field_ = rng.choice(WEAPONS), rng.choice(FIELDS)
        return {
            "visit": f"{p} visits {city[0]}",
            "meeting": f"{p} meets {p2} in {city[0]}",
            "talks": f"Talks on {topic[1]} between {p} and {p2}",
            "delivery": f"Delivery of {weapon[0]} to {orgs[0][1]}",
            "signing": f"{orgs[0][1]} signs memorandum on {topic[1]}",
            "statement": f"{orgs[0][1]} statement on {topic[1]}",
            "commission_session": (
                f"Session of the Russian-Iraqi intergovernmental commission in {city[0]}"
            ),
            "operation": f"{orgs[0][1]} begins drilling at the {field_[0]} field",
            "election": f"Parliamentary elections in {rng.choice(REGIONS)[0]}",
        }[kind]

    # --- records with participants and citations ------------------------------------------

    def _agreements(self):
        rng = self.rng
        for start in range(0, self.n_agreements, self.batch_size):
            rows = []
            for n in range(start, min(start + self.batch_size, self.n_agreements)):
                kind = rng.choice(AGREEMENT_KINDS)
                topic, city = rng.choice(TOPIC_PHRASES), rng.choice(CITIES)
                orgs = rng.sample(self.pools.orgs, min(2, len(self.pools.orgs)))
                people = rng.sample(self.pools.people, min(1, len(self.pools.people)))
                weapon = rng.choice(WEAPONS)
                title = {
                    "arms_contract": f"Contract for {weapon[0]}",
                    "energy_contract": (
                        f"{orgs[0][1]} contract for the {rng.choice(FIELDS)[0]} field"
                    ),
                }.get(kind, f"{orgs[0][1]} agreement on {topic[1]}")
                begun, precision = self._date()
                valued = rng.random() < 0.4
                agreement = Agreement(
                    slug=self._slug(n, title),
                    kind=kind,
                    title=title,
                    agreement_status=rng.choice(AGREEMENT_STATUSES),
                    start_date=begun,
                    start_precision=precision,
                    value_amount=rng.randrange(1, 5000) * 1_000_000 if valued else None,
                    value_currency=rng.choice(["USD", "RUB", "EUR"]) if valued else "",
                    summary=self._summary("en", people, topic, city),
                    **self._editorial(),
                )
                citations = [
                    self._citation(people, topic, city, supporting=not i and agreement.is_public)
                    for i in range(rng.randint(1, 3))
                ]
                agreement.set_search_document(c.quote for c in citations if c._published_source)
                rows.append((agreement, orgs, citations, topic))
            self._bulk(Agreement, [a for a, _, _, _ in rows])
            parties, citations, topics = [], [], []
            through = Agreement.topics.through
            for agreement, orgs, cites, topic in rows:
                roles = (
                    ["supplier", "buyer"] if agreement.kind == "arms_contract" else ["party"] * 2
                )
                parties += [
                    AgreementParty(agreement=agreement, actor=org[0], role=role)
                    for org, role in zip(orgs, roles, strict=False)
                ]
                for citation in cites:
                    citation.agreement = agreement
                citations += cites
                topics.append(
                    through(agreement_id=agreement.pk, topic_id=self.pools.topics[topic[0]])
                )
            self._bulk(AgreementParty, parties)
            self._bulk(Citation, citations)
            through.objects.bulk_create(topics, batch_size=self.batch_size)
            self.pools.agreement_ids += [a.pk for a, _, _, _ in rows]
        self.log(f"agreements: {self.n_agreements}")

    def _events(self):
        rng = self.rng
        for start in range(0, self.n_events, self.batch_size):
            rows = []
            for n in range(start, min(start + self.batch_size, self.n_events)):
                kind = rng.choice(EVENT_KINDS)
                topic, city = rng.choice(TOPIC_PHRASES), rng.choice(CITIES)
                people = rng.sample(
                    self.pools.people, min(rng.randint(1, 3), len(self.pools.people))
                )
                orgs = rng.sample(self.pools.orgs, min(rng.randint(1, 2), len(self.pools.orgs)))
                title = self._event_title(kind, people, orgs, topic, city)
                begun, precision = self._date()
                event = Event(
                    slug=self._slug(n, title),
                    kind=kind,
                    title=title,
                    start_date=begun,
                    start_precision=precision,
                    place=city[0],
                    country=city[3],
                    event_status=rng.choices(["occurred", "planned", "cancelled"], [90, 7, 3])[0],
                    summary=self._summary("en", people, topic, city),
                    **self._editorial(),
                )
                citations = [
                    self._citation(people, topic, city, supporting=not i and event.is_public)
                    for i in range(rng.randint(1, 3))
                ]
                event.set_search_document(c.quote for c in citations if c._published_source)
                rows.append((event, people, orgs, citations, topic))
            self._bulk(Event, [row[0] for row in rows])
            participants, citations, topics, agreements = [], [], [], []
            topic_through, agreement_through = Event.topics.through, Event.agreements.through
            for event, people, orgs, cites, topic in rows:
                roles = iter(["host", "guest", "participant", "participant", "participant"])
                participants += [
                    EventParticipant(event=event, actor=actor, role=next(roles))
                    for actor in [p.actor for p in people] + [o[0] for o in orgs]
                ]
                for citation in cites:
                    citation.event = event
                citations += cites
                topics.append(
                    topic_through(event_id=event.pk, topic_id=self.pools.topics[topic[0]])
                )
                if self.pools.agreement_ids and rng.random() < 0.15:
                    agreements.append(
                        agreement_through(
                            event_id=event.pk, agreement_id=rng.choice(self.pools.agreement_ids)
                        )
                    )
            self._bulk(EventParticipant, participants)
            self._bulk(Citation, citations)
            topic_through.objects.bulk_create(topics, batch_size=self.batch_size)
            agreement_through.objects.bulk_create(agreements, batch_size=self.batch_size)
            self.log(f"events: {min(start + self.batch_size, self.n_events)}/{self.n_events}")

    def _documents(self):
        """Rebuild the search documents that read related rows written after their records
        (participants, parties, citations), batch by batch."""
        for model in (Source, Agreement, Event):
            pks = list(
                model.objects.filter(slug__startswith=SLUG_PREFIX)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for start in range(0, len(pks), documents.REFRESH_BATCH):
                model.refresh_search_documents(pks[start : start + documents.REFRESH_BATCH])
        self.log("search documents: rebuilt with names and quotes")


def synthetic_exists():
    return Source.objects.filter(url__startswith=SYNTHETIC_URL).exists()


def delete_synthetic():
    """Remove a previous synthetic dataset (fine at small scale; use a fresh database for a
    large one). Children first: participants and citations protect actors and sources.
    The search documents the deleted rows were read by are refreshed once, at the end."""
    marked = {"slug__startswith": SLUG_PREFIX}
    with documents.deferred():
        Citation.objects.filter(source__url__startswith=SYNTHETIC_URL).delete()
        EventParticipant.objects.filter(event__slug__startswith=SLUG_PREFIX).delete()
        AgreementParty.objects.filter(agreement__slug__startswith=SLUG_PREFIX).delete()
        Event.objects.filter(**marked).delete()
        Agreement.objects.filter(**marked).delete()
        Tie.objects.filter(subject__slug__startswith=SLUG_PREFIX).delete()
        Actor.objects.filter(**marked).delete()
        Source.objects.filter(url__startswith=SYNTHETIC_URL).delete()


def generate(events, seed=1, batch_size=2000, log=None):
    """Make the synthetic dataset; returns {what: how many rows}."""
    return Generator(events, seed=seed, batch_size=batch_size, log=log).run()
