"""Organic chemical names read for their functional groups: which Chapter 29 headings they name.

A chemical's name ("4-Trifluoromethylbenzaldehyde", "Aluminum isopropoxide") shares no word
with the schedule, whose Chapter 29 is arranged by function: hydrocarbons and their halogen
derivatives (2901-2904), alcohols, phenols, ethers, aldehydes, ketones (2905-2914), acids
and their esters (2915-2920), nitrogen functions (2921-2929), organo-sulfur and other
organo-inorganic compounds (2930-2931), heterocycles (2932-2934), and the named families
(sulfonamides to antibiotics, 2935-2941). The nomenclature spells the function out:
"-ol" an alcohol, "-al"/"aldehyde" an aldehyde, "amine"/"anilin" an amine, "nitrile" or
"cyanide" a nitrile, "pyrimidin" a nitrogen heterocycle. Read like that, a name points at
its headings as a chemist reading it would.

Chapter 29 Note 3 settles a compound with several functions: "Goods which could be included
in two or more of the headings of this chapter are to be classified in that one of those
headings which occurs last in numerical order", so `headings` returns the matches in
numerical order and the last one is the classification the note gives; the others stay
as alternatives for the broker, since a name can be read more than one way. One exception
the chapter makes itself: an amine with an oxygen function is neither heading 2921 nor the
oxygen function's heading but 2922 (oxygen-function amino-compounds).

Pure: a description in, heading numbers out. The patterns are the common IUPAC and trade
morphemes, not a chemical parser; a name they miss yields nothing and the other evidence
decides alone.
"""

from __future__ import annotations

import re

# A name looks chemical when it carries a CAS number, a locant ("2,4-", "N-", "cis-") or a
# morpheme no everyday word has; a compound's plain name ("caffeine", "menthol") only in a
# chemical context ("in bulk", "USP", "CAS") or as the last word of a short description
# (the head of an English noun phrase), since "menthol cigarettes" are tobacco and "acetate
# fabric" a textile. A polymer ("polyethylene", "cellulose acetate") is Chapter 39's.
_CAS = re.compile(r"\b\d{2,7}-\d{2}-\d\b")
_LOCANT = re.compile(
    r"(?:^|[\s\[(])(?:(?:\d+(?:,\d+)*'?|n|o|p|m|dl|alpha|beta)-[a-z]|(?:cis|trans)-)")
_MARKED = re.compile(
    r"methyl|ethyl|propyl|butyl|phenyl|benzyl|chloro|fluoro|bromo|iodo|hydroxy|amino|"
    r"nitrile|aldehyde|ketone|amine\b|anilin|oxide\b|glycol|pyrid|pyrimid|piperaz|imidazol|"
    r"triazol|thiazol|quinolin|indol|furan|hydrochloride|cillin\b|mycin\b")
_NAMED = re.compile(
    r"acetone|vanillin|saccharin|melamine|caffeine|nicotine|menthol|phenol|cresol|"
    r"resorcinol|hydroquinone|quinone|glycerol|sorbitol|xylitol|mannitol|erythritol|"
    r"toluidine|guanidine|hydrazine|furfural|coumarin|morpholine|thiophene|caprolactam|"
    r"tocopherol|ascorbic|riboflavin|thiamine|niacin|nicotinamide|biotin|theophylline|"
    r"ephedrine|quinine|methionine|cysteine|acetate|benzoate|lactate|citrate")
_CONTEXT = re.compile(
    r"\bcas\b|\busp\b|\bbulk\b|purity|\bgrade\b|powder|crystal|anhydrous|hydrate\b|"
    r"\bsalt\b|compound|chemical|intermediate|\bacid\b")
_POLYMER = re.compile(r"\bpoly[a-z]|copolymer|\bresin|\bsilicone|\bcellulose|\brubber")

# (heading, pattern): the functional group's usual spellings, searched in the lower-cased
# name. Word-internal on purpose: "isopropylaniline" holds "anilin".
_GROUPS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (heading, re.compile(pattern)) for heading, pattern in (
        ("2903", r"(?<!hydro)(?:chloro|fluoro|bromo|iodo)"),
        ("2904", r"\bnitro(?!gen)|sulfonic|sulfonyl"),
        ("2905", r"(?:meth|eth|prop|but|pent|hex|oct|dec)an-?\d*-?ol\b|(?:methan|ethan|propan|"
                 r"butan)ol|alcohol|glycol|glycerol|diol\b|(?:meth|eth|prop|but)oxide|"
                 r"sorbitol|mannitol|xylitol|erythritol"),
        ("2906", r"cyclohexanol|menthol|sterol\b|benzyl alcohol|inositol"),
        ("2907", r"phenol|cresol|naphthol|resorcinol|hydroquinone|catechol"),
        ("2909", r"\bether\b|(?:meth|eth|prop|but|phen)oxy(?!gen)|dioxane"),
        ("2910", r"epox|oxirane|glycidyl"),
        ("2912", r"aldehyde|formyl|vanillin"),
        ("2914", r"ketone|acetone|anone\b|dione\b|phenone|quinone"),
        ("2915", r"acetic|formic|propionic|butyric|stearic|palmitic|valeric|acetate|"
                 r"formate|propionate|butyrate|stearate|palmitate|acetyl chloride"),
        ("2916", r"acrylic|acrylate|oleic|oleate|benzoic|benzoate|cinnamic|cinnamate|"
                 r"phenylacetic|sorbic|sorbate|linoleic"),
        ("2917", r"oxalic|oxalate|adipic|adipate|maleic|maleate|fumaric|fumarate|phthalic|"
                 r"phthalate|succinic|succinate|malonic|sebacic|azelaic|dicarboxylic"),
        ("2918", r"lactic|lactate|tartaric|tartrate|citric|citrate|gluconic|gluconate|"
                 r"salicyl|malic\b|malate|glycolic|hydroxy\w*(?:ic|oate)\b|oxo\w*(?:ic|oate)\b"),
        ("2919", r"phosphate ester|(?:phenyl|ethyl|methyl|butyl) phosphate|phosphoric ester"),
        ("2920", r"phosphite|(?:methyl|ethyl|propylene|ethylene) carbonate|sulfate ester"),
        ("2921", r"amine\b|amines\b|anilin|toluidine|diamine|amino"),
        ("2923", r"ammonium (?:chloride|bromide|hydroxide)\b.*\b(?:tetra|tri)|tetra\w*ammonium|"
                 r"choline|lecithin"),
        ("2924", r"amide\b|amido|carbamate|ureido|anilide|acetaminophen|paracetamol"),
        ("2925", r"imide\b|imine\b|saccharin|guanidine"),
        ("2926", r"nitrile|[a-z]yl ?cyanide|cyano"),
        ("2927", r"\bazo|diazo|azoxy"),
        ("2928", r"hydrazin|hydrazide|hydroxylamine|oxime"),
        ("2929", r"isocyanate|isocyanide"),
        ("2930", r"(?<!e)thio|mercapto|[a-z]yl ?(?:di)?sulfide|sulfoxide|methionine|"
                 r"cysteine|cystine"),
        ("2931", r"silane|siloxane|phosphon|glyphosate|tributyltin|ferrocene|organometallic"),
        ("2932", r"furan|furfur|pyran|lactone|coumarin|dioxol|chromen"),
        ("2933", r"pyrid|pyrimid|piperid|piperaz|pyrazol|imidazol|triazin|triazol|tetrazol|"
                 r"indol|quinolin|pyrrol|carbazol|acridin|pteridin|purin|lactam|melamine|"
                 r"hydantoin|azepin|benzodiazepin"),
        ("2934", r"thiazol|thiophen|phenothiazin|morpholin|oxazol|nucleic|nucleotide"),
        ("2935", r"sulfonamide|sulfa(?:methox|diaz|guan)"),
        ("2936", r"vitamin|tocopherol|ascorbic|riboflavin|thiamine|niacin|nicotinamide|"
                 r"pantothen|biotin|folic acid|retinol|cobalamin|pyridoxine"),
        ("2937", r"hormone|steroid|cortisone|estradiol|testosterone|insulin|prostaglandin|"
                 r"progesterone"),
        ("2938", r"glycoside|rutin\b|saponin"),
        ("2939", r"alkaloid|caffeine|nicotine|ephedrine|codeine|morphine|quinine|theophylline"),
        ("2941", r"antibiotic|cillin\b|mycin\b|\bcef|\bceph|cycline\b|chloramphenicol"),
    ))
_ACID = re.compile(r"\bacids?\b")
_OXYGEN_FUNCTIONS = frozenset({"2905", "2906", "2907", "2909", "2912", "2914", "2915",
                               "2916", "2917", "2918"})


def is_chemical(description: str) -> bool:
    """True when the description reads as the name of a chemical compound."""
    text = description.lower()
    if _POLYMER.search(text):
        return False
    if _CAS.search(text) or _LOCANT.search(text) or _MARKED.search(text):
        return True
    words = text.split()
    alone = 0 < len(words) <= 3 and bool(_NAMED.search(words[-1]))  # "pure acetone"
    return bool(_NAMED.search(text)) and (alone or bool(_CONTEXT.search(text)))


def headings(description: str) -> list[str]:
    """The Chapter 29 headings the name's functional groups point to, in numerical order:
    under Note 3 the last is the one a compound of several functions falls in. Empty when
    the description does not read as a chemical name."""
    if not is_chemical(description):
        return []
    text = description.lower()
    found = {heading for heading, pattern in _GROUPS if pattern.search(text)}
    if "2921" in found and (found & _OXYGEN_FUNCTIONS or _ACID.search(text)):
        found = (found - {"2921"} - _OXYGEN_FUNCTIONS) | {"2922"}
    return sorted(found)
