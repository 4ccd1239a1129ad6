"""Texts the benchmark speaks: everyday English sentences, one parallel sentence set per
language, and groups of easily confused English words.

Every text has a stable id (its position here), so splits can be given disjoint texts
(sources.py) and an item's meta names the text it used. Append new texts at the end: ids of
existing ones must not move, or the split of every later text would change.
"""

from __future__ import annotations

# Everyday English, 8-14 words each: long enough for a speaking rate, short enough for turns.
SENTENCES = (
    "Please remember to bring your umbrella because it might rain this afternoon.",
    "The train to the city leaves from the second platform in ten minutes.",
    "I would like a cup of coffee with milk and no sugar, please.",
    "Our meeting has been moved to Thursday morning after the team lunch.",
    "The children are playing football in the park behind the old school.",
    "Could you tell me where the nearest post office is from here?",
    "We found a small cafe near the river during our trip last summer.",
    "Turn left at the second traffic light and park behind the bakery.",
    "Her brother practices the violin every evening before he eats dinner.",
    "It was much colder than anyone expected when we left this morning.",
    "The library closes early on Sundays, so return your books on Saturday.",
    "My neighbour planted tomatoes and beans in the garden last spring.",
    "The bus was late again, so I walked the whole way to work.",
    "Dinner will be ready in twenty minutes if the oven heats up quickly.",
    "He forgot his keys at the office and had to wait outside.",
    "The museum has a new exhibition about ships and the history of the sea.",
    "Let me know when you arrive at the airport and I will pick you up.",
    "The doctor said I should drink more water and sleep a little longer.",
    "We painted the kitchen a pale shade of yellow over the long weekend.",
    "The shop on the corner sells fresh bread and cheese every morning.",
    "Put the blue folder on my desk before you leave for the day.",
    "The concert starts at eight, but the doors open an hour earlier.",
    "She bought a second hand bicycle and rides it to the market.",
    "The hotel room had a wonderful view of the mountains and the lake.",
    "Remember to switch off the lights and lock the back door tonight.",
    "The teacher asked the students to read the first chapter by Monday.",
    "A strong wind knocked over the fence between our garden and theirs.",
    "I have been learning to cook rice the way my grandmother did.",
    "The new bridge across the river will open to traffic next month.",
    "They spent the whole afternoon looking for a birthday present for Anna.",
)

# One short sentence set, translated: parallel content, so only the language tells them apart.
# Keys are espeak-ng voice names; LANGUAGE_NAMES gives the answer labels.
LANGUAGE_SENTENCES: dict[str, tuple[str, ...]] = {
    "en-us": (
        "This morning I saw a small bird in the garden.",
        "Can you tell me when the next train to London leaves?",
        "My sister has worked in a large library for three years.",
        "This weekend we are going to the lake with the children.",
        "The food in this restaurant is always fresh and very tasty.",
    ),
    "de": (
        "Heute Morgen habe ich im Garten einen kleinen Vogel gesehen.",
        "Kannst du mir sagen, wann der nächste Zug nach Berlin fährt?",
        "Meine Schwester arbeitet seit drei Jahren in einer großen Bibliothek.",
        "Am Wochenende fahren wir mit den Kindern an den See.",
        "Das Essen in diesem Restaurant ist immer frisch und sehr lecker.",
    ),
    "fr-fr": (
        "Ce matin, j'ai vu un petit oiseau dans le jardin.",
        "Pouvez-vous me dire quand part le prochain train pour Paris ?",
        "Ma sœur travaille depuis trois ans dans une grande bibliothèque.",
        "Ce week-end, nous allons au lac avec les enfants.",
        "La cuisine de ce restaurant est toujours fraîche et délicieuse.",
    ),
    "es": (
        "Esta mañana vi un pájaro pequeño en el jardín.",
        "¿Puede decirme cuándo sale el próximo tren para Madrid?",
        "Mi hermana trabaja desde hace tres años en una biblioteca grande.",
        "Este fin de semana vamos al lago con los niños.",
        "La comida de este restaurante siempre es fresca y muy rica.",
    ),
    "it": (
        "Stamattina ho visto un piccolo uccello in giardino.",
        "Mi può dire quando parte il prossimo treno per Roma?",
        "Mia sorella lavora da tre anni in una grande biblioteca.",
        "Questo fine settimana andiamo al lago con i bambini.",
        "Il cibo di questo ristorante è sempre fresco e molto buono.",
    ),
    "pt": (
        "Esta manhã vi um pequeno pássaro no jardim.",
        "Pode dizer-me quando parte o próximo comboio para Lisboa?",
        "A minha irmã trabalha há três anos numa grande biblioteca.",
        "Este fim de semana vamos ao lago com as crianças.",
        "A comida deste restaurante é sempre fresca e muito saborosa.",
    ),
    "nl": (
        "Vanochtend zag ik een kleine vogel in de tuin.",
        "Kunt u mij zeggen wanneer de volgende trein naar Amsterdam vertrekt?",
        "Mijn zus werkt al drie jaar in een grote bibliotheek.",
        "Dit weekend gaan we met de kinderen naar het meer.",
        "Het eten in dit restaurant is altijd vers en erg lekker.",
    ),
    "sv": (
        "I morse såg jag en liten fågel i trädgården.",
        "Kan du säga mig när nästa tåg till Stockholm går?",
        "Min syster har arbetat på ett stort bibliotek i tre år.",
        "I helgen åker vi till sjön med barnen.",
        "Maten på den här restaurangen är alltid färsk och mycket god.",
    ),
    "pl": (
        "Dziś rano widziałem małego ptaka w ogrodzie.",
        "Czy może mi pan powiedzieć, kiedy odjeżdża następny pociąg do Warszawy?",
        "Moja siostra od trzech lat pracuje w dużej bibliotece.",
        "W ten weekend jedziemy z dziećmi nad jezioro.",
        "Jedzenie w tej restauracji jest zawsze świeże i bardzo smaczne.",
    ),
    "fi": (
        "Tänä aamuna näin pienen linnun puutarhassa.",
        "Voitteko kertoa, milloin seuraava juna lähtee Helsinkiin?",
        "Siskoni on työskennellyt suuressa kirjastossa kolme vuotta.",
        "Tänä viikonloppuna menemme lasten kanssa järvelle.",
        "Tämän ravintolan ruoka on aina tuoretta ja todella hyvää.",
    ),
}
LANGUAGE_NAMES: dict[str, str] = {
    "en-us": "English", "de": "German", "fr-fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "sv": "Swedish", "pl": "Polish", "fi": "Finnish",
}

# Four words that differ in one sound: every option of a spoken-word item is plausible.
WORD_GROUPS = (
    ("ship", "sheep", "chip", "cheap"),
    ("bat", "pat", "bad", "pad"),
    ("light", "right", "white", "bright"),
    ("three", "tree", "free", "tea"),
    ("coat", "goat", "boat", "vote"),
    ("fan", "van", "pan", "ban"),
    ("sing", "thing", "ring", "king"),
    ("mouse", "house", "mouth", "south"),
    ("rain", "train", "brain", "plane"),
    ("cake", "lake", "make", "take"),
    ("bell", "ball", "bill", "bull"),
    ("fish", "dish", "wish", "fist"),
    ("cold", "gold", "hold", "old"),
    ("sand", "hand", "band", "land"),
    ("rock", "lock", "sock", "clock"),
    ("pen", "pin", "peg", "pet"),
    ("sit", "seat", "set", "sat"),
    ("fine", "pine", "line", "mine"),
    ("mat", "map", "man", "mad"),
    ("fox", "box", "fog", "fax"),
)

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
