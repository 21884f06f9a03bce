"""Common French first and last names (with their accents), streets and places, and a
fast weighted picker: the most common names come first and are drawn most often."""

import bisect
import itertools
import random
import unicodedata
from collections.abc import Sequence


class Picker:
    """Draws one of `items` with the given weights: one bisect per draw."""

    def __init__(self, items: Sequence, weights: Sequence[float]):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def index(self, rng: random.Random) -> int:
        return bisect.bisect_right(self.cumulative, rng.random() * self.total)

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def by_rank(items: Sequence[str], slope: float = 0.8) -> Picker:
    """Zipf-like weights: the first names of the list are the most common."""
    return Picker(items, [1 / (rank + 4) ** slope for rank in range(len(items))])


FIRST_NAMES_F = [
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Martine",
    "Christine",
    "Monique",
    "Valérie",
    "Sandrine",
    "Stéphanie",
    "Véronique",
    "Sophie",
    "Céline",
    "Chantal",
    "Patricia",
    "Anne",
    "Brigitte",
    "Julie",
    "Camille",
    "Léa",
    "Manon",
    "Emma",
    "Chloé",
    "Inès",
    "Jade",
    "Louise",
    "Zoé",
    "Léna",
    "Clémence",
    "Océane",
    "Élodie",
    "Émilie",
    "Aurélie",
    "Mélanie",
    "Laëtitia",
    "Hélène",
    "Agnès",
    "Béatrice",
    "Mégane",
    "Noémie",
    "Maëlle",
    "Anaïs",
    "Gaëlle",
    "Solène",
    "Josiane",
    "Geneviève",
    "Thérèse",
    "Jacqueline",
    "Danièle",
    "Michèle",
    "Éloïse",
    "Maëva",
    "Aïcha",
    "Fatoumata",
    "Yasmine",
    "Salomé",
    "Clémentine",
    "Pauline",
    "Margaux",
    "Justine",
    "Charlotte",
    "Alice",
    "Lucie",
    "Élise",
    "Amélie",
    "Adèle",
    "Rose",
    "Jeanne",
    "Ambre",
    "Lina",
    "Mila",
    "Anaëlle",
    "Nadège",
    "Ghislaine",
    "Régine",
    "Josette",
    "Odile",
    "Bérénice",
    "Léonie",
    "Capucine",
    "Marie-Hélène",
    "Anne-Sophie",
    "Marie-Thérèse",
    "Héloïse",
    "Zélie",
    "Françoise-Marie",
    "Cécile",
    "Estelle",
    "Perrine",
    "Noëlle",
]

FIRST_NAMES_M = [
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Alain",
    "Nicolas",
    "Christophe",
    "Patrick",
    "Daniel",
    "Frédéric",
    "Laurent",
    "Éric",
    "Stéphane",
    "David",
    "Julien",
    "Sébastien",
    "Thomas",
    "François",
    "Olivier",
    "Pascal",
    "Thierry",
    "Bernard",
    "Jérôme",
    "Gérard",
    "Hugo",
    "Lucas",
    "Louis",
    "Gabriel",
    "Raphaël",
    "Léo",
    "Arthur",
    "Jules",
    "Maël",
    "Noé",
    "Mathéo",
    "Théo",
    "Nathan",
    "Enzo",
    "Clément",
    "Maxime",
    "Antoine",
    "Alexandre",
    "Romain",
    "Benoît",
    "Hervé",
    "Gaëtan",
    "Loïc",
    "Cédric",
    "Rémi",
    "Aurélien",
    "Joël",
    "Noël",
    "Anaël",
    "Jérémy",
    "Grégory",
    "Ludovic",
    "Régis",
    "André",
    "René",
    "Gilles",
    "Jacques",
    "Yves",
    "Serge",
    "Marcel",
    "Émile",
    "Étienne",
    "Mathis",
    "Timothée",
    "Bastien",
    "Quentin",
    "Florian",
    "Mamadou",
    "Yanis",
    "Karim",
    "Mehdi",
    "Youssef",
    "Jean-Baptiste",
    "Jean-Pierre",
    "Jean-Luc",
    "Pierre-Étienne",
    "Jean-François",
    "Benjamin",
    "Samuel",
    "Kévin",
    "Anthony",
    "Adrien",
    "Matthieu",
    "Sylvain",
    "Jérémie",
    "Honoré",
    "Félix",
    "Côme",
    "Valère",
    "Ange",
    "Lény",
]

# one name per line: some hold spaces and particles
LAST_NAMES = [
    line.strip()
    for line in """
Martin|Bernard|Thomas|Petit|Robert|Richard|Durand|Dubois|Moreau|Laurent|Simon|Michel
Lefèvre|Leroy|Roux|David|Bertrand|Morel|Fournier|Girard|Bonnet|Dupont|Lambert|Fontaine
Rousseau|Vincent|Muller|Faure|André|Mercier|Blanc|Guérin|Boyer|Garnier|Chevalier|François
Legrand|Gauthier|Garcia|Perrin|Robin|Clément|Morin|Nicolas|Henry|Roussel|Mathieu|Gautier
Masson|Marchand|Duval|Denis|Dumont|Marie|Lemaire|Noël|Meyer|Dufour|Meunier|Brun|Blanchard
Giraud|Joly|Rivière|Lucas|Brunet|Gaillard|Barbier|Arnaud|Martinez|Gérard|Roche|Renard
Schmitt|Roy|Leroux|Colin|Vidal|Caron|Picard|Roger|Fabre|Aubert|Lemoine|Renaud|Dumas
Lacroix|Olivier|Philippe|Bourgeois|Pierre|Benoît|Rey|Leclerc|Payet|Rolland|Leclercq
Guillaume|Lecomte|Lopez|Jean|Dupuy|Guillot|Hubert|Berger|Carpentier|Sanchez|Dupuis|Moulin
Louis|Deschamps|Huet|Vasseur|Perez|Boucher|Fleury|Royer|Klein|Jacquet|Adam|Paris|Poirier
Marty|Aubry|Guyot|Carré|Charles|Renault|Charpentier|Ménard|Maillard|Baron|Bertin|Bailly
Hervé|Schneider|Fernandez|Le Gall|Collet|Léger|Bouvier|Julien|Prévost|Millet|Perrot|Daniel
Le Roux|Cousin|Germain|Breton|Besson|Langlois|Rémy|Le Goff|Pelletier|Lévêque|Perrier
Leblanc|Barré|Lebrun|Marchal|Weber|Mallet|Hamon|Boulanger|Jacob|Monnier|Michaud|Rodriguez
Guichard|Gillet|Étienne|Grondin|Poulain|Tessier|Chevallier|Collin|Chauvin|Da Silva|Bouchet
Gay|Lemaître|Bénard|Maréchal|Humbert|Reynaud|Antoine|Hoarau|Perret|Barthélemy|Cordier
Pichon|Lejeune|Gilbert|Lamy|Delaunay|Pasquier|Carlier|Laporte|Nguyễn|Ben Saïd|Dupont-Lefèvre
de La Fontaine|d'Arcy|Le Bihan|Duchêne|Béranger|Régnier|Caillé|Dubois-Mérignac|Lefébure
Thévenin|Crépin|Bécue|Désiré|Frémont|Gendre|Hébert|Lesage|Pâris|Séguin|Trémolet|Védrine
""".replace("\n", "|").split("|")
    if line.strip()
]

STREETS = [
    "rue de la République",
    "cours Lafayette",
    "avenue Jean-Jaurès",
    "rue Paul-Bert",
    "rue Garibaldi",
    "boulevard des Brotteaux",
    "rue Mercière",
    "quai Saint-Antoine",
    "rue Victor-Hugo",
    "avenue Berthelot",
    "rue de Créqui",
    "montée de la Grande-Côte",
    "rue du Général-Leclerc",
    "place de l'Église",
    "chemin des Pèlerins",
    "allée des Érables",
    "rue Émile-Zola",
    "avenue de la Libération",
    "rue Pasteur",
    "impasse des Tilleuls",
    "rue de l'Hôtel-de-Ville",
    "boulevard Pinel",
    "rue Marietton",
    "avenue Félix-Faure",
    "rue Duguesclin",
    "rue Sainte-Hélène",
    "quai Perrache",
    "rue des Célestins",
    "route de Génas",
    "avenue Franklin-Roosevelt",
]

# (place, town, postcode): the agencies of the network, the busiest first
PLACES = [
    ("Part-Dieu", "Lyon", "69003"),
    ("Bellecour", "Lyon", "69002"),
    ("Perrache", "Lyon", "69002"),
    ("Gratte-Ciel", "Villeurbanne", "69100"),
    ("Vénissieux Gare", "Vénissieux", "69200"),
    ("Croix-Rousse", "Lyon", "69004"),
    ("Vaise", "Lyon", "69009"),
    ("Gerland", "Lyon", "69007"),
    ("Monplaisir", "Lyon", "69008"),
    ("Grange-Blanche", "Lyon", "69008"),
    ("Charpennes", "Villeurbanne", "69100"),
    ("Bron Parilly", "Bron", "69500"),
    ("Caluire Montessuy", "Caluire-et-Cuire", "69300"),
    ("Écully Centre", "Écully", "69130"),
    ("Oullins Gare", "Oullins-Pierre-Bénite", "69600"),
    ("Saint-Fons", "Saint-Fons", "69190"),
    ("Décines Grand Large", "Décines-Charpieu", "69150"),
    ("Meyzieu Z.I.", "Meyzieu", "69330"),
    ("Rillieux Semailles", "Rillieux-la-Pape", "69140"),
    ("Vaulx-en-Velin La Soie", "Vaulx-en-Velin", "69120"),
    ("Saint-Priest Bel-Air", "Saint-Priest", "69800"),
    ("Tassin-la-Demi-Lune", "Tassin-la-Demi-Lune", "69160"),
    ("Sainte-Foy-lès-Lyon", "Sainte-Foy-lès-Lyon", "69110"),
    ("Francheville", "Francheville", "69340"),
    ("Givors Canal", "Givors", "69700"),
    ("Saint-Genis-Laval", "Saint-Genis-Laval", "69230"),
    ("Brignais", "Brignais", "69530"),
    ("Mions", "Mions", "69780"),
    ("Corbas", "Corbas", "69960"),
    ("Feyzin", "Feyzin", "69320"),
    ("Chassieu", "Chassieu", "69680"),
    ("Genas", "Genas", "69740"),
    ("Neuville-sur-Saône", "Neuville-sur-Saône", "69250"),
    ("Fontaines-sur-Saône", "Fontaines-sur-Saône", "69270"),
    ("Champagne-au-Mont-d'Or", "Champagne-au-Mont-d'Or", "69410"),
    ("Dardilly", "Dardilly", "69570"),
    ("Limonest", "Limonest", "69760"),
    ("Craponne", "Craponne", "69290"),
    ("Irigny", "Irigny", "69540"),
    ("La Mulatière", "La Mulatière", "69350"),
    ("Charbonnières-les-Bains", "Charbonnières-les-Bains", "69260"),
    ("Saint-Didier-au-Mont-d'Or", "Saint-Didier-au-Mont-d'Or", "69370"),
    ("Collonges-au-Mont-d'Or", "Collonges-au-Mont-d'Or", "69660"),
    ("Sathonay-Camp", "Sathonay-Camp", "69580"),
    ("Jonage", "Jonage", "69330"),
    ("Guillotière", "Lyon", "69007"),
    ("Jean-Macé", "Lyon", "69007"),
    ("Saxe-Gambetta", "Lyon", "69003"),
    ("Hôtel de Ville", "Lyon", "69001"),
    ("Vieux Lyon", "Lyon", "69005"),
    ("Fourvière", "Lyon", "69005"),
    ("Valmy", "Lyon", "69009"),
    ("Cusset", "Villeurbanne", "69100"),
    ("La Doua", "Villeurbanne", "69100"),
    ("Laurent Bonnevay", "Villeurbanne", "69100"),
    ("Mermoz-Pinel", "Lyon", "69008"),
    ("États-Unis", "Lyon", "69008"),
    ("Gorge de Loup", "Lyon", "69009"),
    ("Saint-Just", "Lyon", "69005"),
    ("Brotteaux", "Lyon", "69006"),
]


def ascii_fold(text: str) -> str:
    """'Hélène Dupont-Lefèvre' -> 'helene.dupont-lefevre' material for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in folded if c.isalnum() or c in "-.")
    return kept.encode("ascii", "ignore").decode().lower()
