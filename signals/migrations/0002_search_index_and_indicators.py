"""Full-text index for the register search (PostgreSQL) and the starting indicator checklist.

The indicators are public signs of trafficking per form of exploitation (after the
CoMensha/Nationaal Rapporteur signal lists); administrators keep the list current.
"""

from django.db import migrations

INDICATORS = {
    "sexual": [
        "Heeft geen of beperkt beschikking over eigen identiteitspapieren",
        "Moet (een groot deel van) de verdiensten afstaan",
        "Wordt onder druk gezet, bedreigd of mishandeld",
        "Wordt gecontroleerd of bewaakt; beperkte bewegingsvrijheid",
        "Heeft een schuld bij de exploitant of een tussenpersoon",
        "Werkt ongebruikelijk lange uren of heeft ongebruikelijk veel klanten",
        "Relatie met een (oudere) partner die aanzet tot seks tegen betaling (loverboy)",
        "Minderjarige in een prostitutiecontext of in online advertenties",
        "Wordt van en naar de werkplek gebracht of woont op de werkplek",
        "Toont angst, schaamte of verwarring over de eigen verblijfplaats",
    ],
    "labour": [
        "Identiteitspapieren zijn ingenomen door werkgever of bemiddelaar",
        "Loon ver onder het minimumloon of niet uitbetaald",
        "Schuld bij werkgever of bemiddelaar (reis, huisvesting, werk)",
        "Huisvesting via de werkgever, overbewoond of in slechte staat",
        "Extreem lange werkdagen, geen vrije dagen",
        "Geen arbeidscontract, of een contract in een onbekende taal",
        "Beperkte bewegingsvrijheid, vervoer door de werkgever",
        "Bedreiging, geweld of intimidatie door werkgever of bemiddelaar",
        "Geen toegang tot medische zorg",
        "Werkt zonder de nodige veiligheidsmaatregelen",
    ],
    "criminal": [
        "Wordt gedwongen drugs te vervoeren of te verkopen",
        "Bankrekening of identiteit wordt door anderen gebruikt (geldezel)",
        "Wordt ingezet voor diefstal, zakkenrollen of winkeldiefstal",
        "Werkt onder dwang in een hennepkwekerij of knipt hennep",
        "Heeft een schuld bij degene die de opdrachten geeft",
        "Minderjarige of persoon met een zorgindicatie betrokken bij criminaliteit",
        "Heeft onverklaarbaar geld, telefoons of dure kleding",
        "Wordt bedreigd bij weigeren of bij willen stoppen",
    ],
    "organ_removal": [
        "Spreekt over de verkoop van een orgaan of wordt daartoe aangezet",
        "Recent operatielitteken zonder medische verklaring",
        "Reisde naar het buitenland voor een ingreep via een onduidelijke tussenpersoon",
        "Schuld of betaling in verband met een medische ingreep",
    ],
    "unknown": [
        "Weet niet waar hij of zij woont of werkt",
        "Wordt steeds begeleid door dezelfde persoon die het woord voert",
        "Vertoont tekenen van lichamelijk of psychisch geweld",
    ],
}

CREATE_INDEX = """
CREATE INDEX IF NOT EXISTS signal_search_fts
    ON signals_signal USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')));
"""
DROP_INDEX = "DROP INDEX IF EXISTS signal_search_fts;"


def seed_indicators(apps, schema_editor):
    Indicator = apps.get_model("signals", "Indicator")
    for form, texts in INDICATORS.items():
        for position, text in enumerate(texts):
            Indicator.objects.get_or_create(form=form, text=text, defaults={"position": position})


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX, params=None)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX, params=None)


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]

    operations = [
        migrations.RunPython(add_search_index, drop_search_index),
        migrations.RunPython(seed_indicators, migrations.RunPython.noop),
    ]
