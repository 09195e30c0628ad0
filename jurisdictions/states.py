"""U.S. states, DC and territories: USPS code, name, FIPS code and federal judicial circuit.

Circuits follow 28 U.S.C. § 41. American Samoa has no federal district court, so it
belongs to no circuit.
"""

from django.db import models

# code: (name, FIPS, circuit)
STATES = {
    "AL": ("Alabama", "01", "11th"),
    "AK": ("Alaska", "02", "9th"),
    "AZ": ("Arizona", "04", "9th"),
    "AR": ("Arkansas", "05", "8th"),
    "CA": ("California", "06", "9th"),
    "CO": ("Colorado", "08", "10th"),
    "CT": ("Connecticut", "09", "2nd"),
    "DE": ("Delaware", "10", "3rd"),
    "DC": ("District of Columbia", "11", "DC"),
    "FL": ("Florida", "12", "11th"),
    "GA": ("Georgia", "13", "11th"),
    "HI": ("Hawaii", "15", "9th"),
    "ID": ("Idaho", "16", "9th"),
    "IL": ("Illinois", "17", "7th"),
    "IN": ("Indiana", "18", "7th"),
    "IA": ("Iowa", "19", "8th"),
    "KS": ("Kansas", "20", "10th"),
    "KY": ("Kentucky", "21", "6th"),
    "LA": ("Louisiana", "22", "5th"),
    "ME": ("Maine", "23", "1st"),
    "MD": ("Maryland", "24", "4th"),
    "MA": ("Massachusetts", "25", "1st"),
    "MI": ("Michigan", "26", "6th"),
    "MN": ("Minnesota", "27", "8th"),
    "MS": ("Mississippi", "28", "5th"),
    "MO": ("Missouri", "29", "8th"),
    "MT": ("Montana", "30", "9th"),
    "NE": ("Nebraska", "31", "8th"),
    "NV": ("Nevada", "32", "9th"),
    "NH": ("New Hampshire", "33", "1st"),
    "NJ": ("New Jersey", "34", "3rd"),
    "NM": ("New Mexico", "35", "10th"),
    "NY": ("New York", "36", "2nd"),
    "NC": ("North Carolina", "37", "4th"),
    "ND": ("North Dakota", "38", "8th"),
    "OH": ("Ohio", "39", "6th"),
    "OK": ("Oklahoma", "40", "10th"),
    "OR": ("Oregon", "41", "9th"),
    "PA": ("Pennsylvania", "42", "3rd"),
    "RI": ("Rhode Island", "44", "1st"),
    "SC": ("South Carolina", "45", "4th"),
    "SD": ("South Dakota", "46", "8th"),
    "TN": ("Tennessee", "47", "6th"),
    "TX": ("Texas", "48", "5th"),
    "UT": ("Utah", "49", "10th"),
    "VT": ("Vermont", "50", "2nd"),
    "VA": ("Virginia", "51", "4th"),
    "WA": ("Washington", "53", "9th"),
    "WV": ("West Virginia", "54", "4th"),
    "WI": ("Wisconsin", "55", "7th"),
    "WY": ("Wyoming", "56", "10th"),
    "AS": ("American Samoa", "60", ""),
    "GU": ("Guam", "66", "9th"),
    "MP": ("Northern Mariana Islands", "69", "9th"),
    "PR": ("Puerto Rico", "72", "1st"),
    "VI": ("U.S. Virgin Islands", "78", "3rd"),
}

State = models.TextChoices("State", [(code, (code, name)) for code, (name, _, _) in STATES.items()])

CIRCUITS = [
    "1st",
    "2nd",
    "3rd",
    "4th",
    "5th",
    "6th",
    "7th",
    "8th",
    "9th",
    "10th",
    "11th",
    "DC",
]
Circuit = models.TextChoices(
    "Circuit",
    [(c, (c, "D.C. Circuit" if c == "DC" else f"{c} Circuit")) for c in CIRCUITS],
)


def circuit_of(state):
    return STATES[state][2] if state in STATES else ""


def states_in_circuit(circuit):
    return [code for code, (_, _, c) in STATES.items() if c == circuit]


def state_name(state):
    return STATES[state][0] if state in STATES else state
