"""The platform's default consultation standard: the seven principles of the Polish consultation code and common
practice (at least 21 days open, a plain summary, a report answering every contribution). Networks copy and edit it."""

from django.db import migrations

ITEMS = [
    (
        "good_faith",
        ("Good faith", "Dobrá víra", "Dobra wiara"),
        (
            "The organiser consults with the will to take views into account and assumes the same of participants.",
            "Pořadatel konzultuje s vůlí názory zohlednit a totéž předpokládá u účastníků.",
            "Organizator prowadzi konsultacje z wolą uwzględnienia opinii i tego samego oczekuje od uczestników.",
        ),
    ),
    (
        "universality",
        ("Universality", "Všeobecnost", "Powszechność"),
        (
            "Everyone concerned can learn about the consultation and take part, including young and older people.",
            "Každý, koho se věc týká, se o konzultaci dozví a může se zapojit, mladí i starší lidé.",
            "Każdy zainteresowany może dowiedzieć się o konsultacjach i wziąć w nich udział, także młodzi i seniorzy.",
        ),
    ),
    (
        "transparency",
        ("Transparency", "Transparentnost", "Przejrzystość"),
        (
            "What is decided, by whom, when and how views are used is public and written plainly.",
            "Co se rozhoduje, kdo rozhoduje, kdy a jak se s názory naloží, je veřejné a srozumitelně popsané.",
            "Informacja o tym, co, kto i kiedy rozstrzyga oraz jak wykorzystane zostaną opinie, jest jawna i zrozumiała.",
        ),
    ),
    (
        "responsiveness",
        ("Responsiveness", "Odezva", "Responsywność"),
        (
            "Every contribution receives a reasoned answer, published in the report.",
            "Každý příspěvek dostane zdůvodněnou odpověď, zveřejněnou ve zprávě.",
            "Każdy głos otrzymuje uzasadnioną odpowiedź, opublikowaną w raporcie.",
        ),
    ),
    (
        "coordination",
        ("Coordination", "Koordinace", "Koordynacja"),
        (
            "One person is responsible and departments concerned take part together.",
            "Za konzultaci odpovídá jedna osoba a dotčené odbory postupují společně.",
            "Za konsultacje odpowiada jedna osoba, a zainteresowane wydziały działają wspólnie.",
        ),
    ),
    (
        "predictability",
        ("Predictability", "Předvídatelnost", "Przewidywalność"),
        (
            "The consultation is announced in advance and follows the timeline and rules it announced.",
            "Konzultace je ohlášena předem a drží se ohlášeného harmonogramu a pravidel.",
            "Konsultacje są zapowiedziane z wyprzedzeniem i przebiegają według ogłoszonego harmonogramu i zasad.",
        ),
    ),
    (
        "general_interest",
        ("Respect for the general interest", "Ohled na veřejný zájem", "Poszanowanie interesu ogólnego"),
        (
            "Particular interests are heard, and the decision is weighed against the good of the whole community.",
            "Dílčí zájmy jsou vyslyšeny a rozhodnutí se poměřuje dobrem celé obce.",
            "Interesy szczegółowe są wysłuchane, a decyzja jest ważona dobrem całej wspólnoty.",
        ),
    ),
    (
        "minimum_length",
        ("Open for at least 21 days", "Otevřeno nejméně 21 dní", "Otwarte co najmniej 21 dni"),
        (
            "People have enough time to read, discuss and respond.",
            "Lidé mají dost času přečíst si podklady, probrat je a vyjádřit se.",
            "Mieszkańcy mają dość czasu, by przeczytać materiały, omówić je i odpowiedzieć.",
        ),
    ),
    (
        "plain_language",
        ("Plain-language summary", "Shrnutí srozumitelným jazykem", "Streszczenie prostym językiem"),
        (
            "A short summary in everyday words says what is at stake.",
            "Krátké shrnutí běžnými slovy říká, o co jde.",
            "Krótkie streszczenie zwykłymi słowami mówi, o co chodzi.",
        ),
    ),
    (
        "several_channels",
        ("Several ways to take part", "Více způsobů zapojení", "Kilka sposobów udziału"),
        (
            "Online and in person: meetings, walks or paper forms for those who are not online.",
            "Online i osobně: setkání, procházky nebo papírové formuláře pro ty, kdo nejsou online.",
            "Online i osobiście: spotkania, spacery lub formularze papierowe dla osób offline.",
        ),
    ),
    (
        "evaluation",
        ("Evaluation", "Vyhodnocení", "Ewaluacja"),
        (
            "Participants are asked how the consultation went and the results are published.",
            "Účastníci jsou dotázáni, jak konzultace proběhla, a výsledky se zveřejní.",
            "Uczestnicy są pytani, jak przebiegły konsultacje, a wyniki są publikowane.",
        ),
    ),
]


def seed(apps, schema_editor):
    StandardSet = apps.get_model("consultations", "StandardSet")
    StandardItem = apps.get_model("consultations", "StandardItem")
    standard = StandardSet.objects.create(
        organisation=None,
        name="Consultation code and common practice",
        name_en="Consultation code and common practice",
        name_cs="Kodex konzultací a dobrá praxe",
        name_pl="Kodeks konsultacji i dobre praktyki",
        min_open_days=21,
    )
    for weight, (key, titles, descriptions) in enumerate(ITEMS):
        StandardItem.objects.create(
            standard_set=standard,
            key=key,
            weight=weight,
            title=titles[0],
            title_en=titles[0],
            title_cs=titles[1],
            title_pl=titles[2],
            description=descriptions[0],
            description_en=descriptions[0],
            description_cs=descriptions[1],
            description_pl=descriptions[2],
        )


def unseed(apps, schema_editor):
    apps.get_model("consultations", "StandardSet").objects.filter(organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
