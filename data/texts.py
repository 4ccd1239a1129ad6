"""Every text the ground-truth audio speaks, in one place: the benchmark's everyday English
sentences, one parallel sentence set per language and groups of easily confused English
words; below them, the sentence sets of the tool-accuracy benchmark (Harvard, everyday,
foreign-language, pitch and tagging sentences).

Every benchmark text has a stable id (its position here), so splits can be given disjoint
texts (benchmark/sources.py) and an item's meta names the text it used. Append new texts at
the end: ids of existing ones must not move, or the split of every later text would change.
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


# --- texts of the tool-accuracy benchmark (evals/tool_bench) --------------------------------
# Kept apart from SENTENCES: their cases and published figures were measured with these.

# Harvard sentences, lists 1-4 (IEEE 1969): phonetically balanced, public domain.
HARVARD = (
    "The birch canoe slid on the smooth planks.", "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.", "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.", "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.", "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.", "A large size in stockings is hard to sell.",
    "The boy was there when the sun rose.", "A rod is used to catch pink salmon.",
    "The source of the huge river is the clear spring.",
    "Kick the ball straight and follow through.",
    "Help the woman get back to her feet.", "A pot of tea helps to pass the evening.",
    "Smoky fires lack flame and heat.", "The soft cushion broke the man's fall.",
    "The salt breeze came across from the sea.", "The girl at the booth sold fifty bonds.",
    "The small pup gnawed a hole in the sock.", "The fish twisted and turned on the bent hook.",
    "Press the pants and sew a button on the vest.", "The swan dive was far short of perfect.",
    "The beauty of the view stunned the young boy.", "Two blue fish swam in the tank.",
    "Her purse was full of useless trash.", "The colt reared and threw the tall rider.",
    "It snowed, rained, and hailed the same morning.", "Read verse out loud for pleasure.",
    "Hoist the load to your left shoulder.", "Take the winding path to reach the lake.",
    "Note closely the size of the gas tank.", "Wipe the grease off his dirty face.",
    "Mend the coat before you go out.", "The wrist was badly strained and hung limp.",
    "The stray cat gave birth to kittens.", "The young girl gave no clear response.",
    "The meal was cooked before the bell rang.", "What joy there is in living.",
)

# Everyday English: what a recording in an audio question is likely to say. Whisper gets
# more of it right than the Harvard sentences, which are built to be unpredictable.
EVERYDAY = (
    "Please remember to bring your umbrella because it might rain this afternoon.",
    "The train to the city leaves from the second platform in ten minutes.",
    "I would like a cup of coffee with milk and no sugar, please.",
    "Our meeting has been moved to Thursday morning after lunch.",
    "The children are playing football in the park behind the school.",
    "Could you tell me where the nearest post office is?",
    "We are going to visit my grandparents in the countryside next weekend.",
    "The doctor said I should drink more water and get some rest.",
    "Turn left at the traffic lights and the museum is on your right.",
    "My sister is learning to play the piano and practises every evening.",
    "The weather forecast says it will be sunny and warm tomorrow.",
    "Thank you for calling, all of our agents are busy at the moment.",
    "The library closes early on Sundays, so please return your books today.",
    "He forgot his keys at the office and had to go back for them.",
    "Dinner is ready, so please wash your hands and come to the table.",
    "The new restaurant downtown serves the best pizza I have ever eaten.",
    "Passengers are kindly asked to keep their luggage with them at all times.",
    "She bought fresh vegetables and bread at the market this morning.",
    "If you have any questions, please raise your hand and wait for your turn.",
    "The concert was cancelled because the singer had a bad cold.",
    "I think we should leave now if we want to catch the last bus.",
    "The garden looks beautiful in spring when all the flowers are blooming.",
    "Please turn off your mobile phones before the film starts.",
    "My brother works as an engineer at a large company in the city.",
    "We watched a documentary about elephants and their long journeys.",
    "Do not forget to feed the cat before you go to work.",
    "The shop on the corner sells newspapers, sweets and cold drinks.",
    "After the storm, the whole village was without electricity for a day.",
    "Welcome aboard, our flight today will take about two hours.",
    "Can you help me carry these boxes up to the third floor?",
)

# Everyday sentences for spoken-language identification, by ISO 639-1 code.
FOREIGN = {
    "de": ("Der Hund läuft schnell über die grüne Wiese.",
           "Heute Morgen habe ich frisches Brot beim Bäcker gekauft.",
           "Wir fahren am Wochenende mit dem Zug nach Berlin.",
           "Das Wetter ist heute kalt und sehr windig.",
           "Meine Schwester liest am Abend gern spannende Bücher."),
    "fr": ("Le chat dort tranquillement sur le canapé du salon.",
           "Nous allons au marché pour acheter des légumes frais.",
           "Il fait très beau aujourd'hui dans le sud de la France.",
           "Mon frère travaille dans une grande banque à Paris.",
           "Elle aime lire des romans policiers le soir."),
    "es": ("El perro corre rápidamente por el parque verde.",
           "Mañana vamos a visitar a mis abuelos en el campo.",
           "La comida de este restaurante es muy buena.",
           "Los niños juegan al fútbol después de la escuela.",
           "Me gusta escuchar música cuando estoy cansado."),
    "it": ("Il gatto dorme tranquillo sul divano del soggiorno.",
           "Domani andiamo al mare con i nostri amici.",
           "La pizza di questo ristorante è davvero buonissima.",
           "Mio fratello lavora in una grande azienda a Milano.",
           "Le ragazze cantano una canzone nella piazza del paese."),
}

# Short sentences whose voice's pitch (and so sex) is measured.
PITCH_SENTENCES = ("Please remember to bring your umbrella this afternoon.",
                   "The train to the city leaves from the second platform.",
                   "Could you tell me where the nearest post office is?",
                   "Our meeting has been moved to Thursday morning.")

# Speech mixed under other sounds for sound tagging.
TAGGING_SENTENCES = (
    "The train to the city leaves at half past nine.",
    "Please remember to bring your umbrella tomorrow.",
    "We found a small cafe near the river last summer.",
    "Turn left at the second light and park behind the school.",
    "Her brother plays the violin in the evening.",
    "The meeting has been moved to Thursday afternoon.",
    "Could you read the last number again, slowly?",
    "It was colder than anyone expected this morning.",
)
