"""Byline stage: who wrote an article, which organisation or wire agency it credits.

Pure rules (`parse_byline`, `choose_byline`, `find_body_credit`, `find_agency`) know nothing of
Beam; `extract` applies `choose_byline` to the evidence on the page, and `NormaliseBylines` applies
the body rules (wire credits, agency) to what is already on the Article.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from typing import Iterable, Optional

import logging

import apache_beam as beam

from schemas import Article
from transforms.deadletters import DEAD_LETTERS, counter, dead_letter
from transforms.places import fold, is_place

# --- vocabulary -------------------------------------------------------------------------------
# Words that introduce a byline, in the languages we ingest (en, de, fr, es, it, pt, nl, nordic).
_PREFIX = re.compile(
    r"^\s*(?:(?:view|see|read)\s+(?:all|more)\s+(?:posts|articles|stories)\s+(?:by|from)|"
    r"(?:about|more\s+about|read\s+more\s+about)\s+(?:the\s+)?(?:author|writer)|guest\s+(?:post|article)\s+(?:by|from)|"
    r"guest\s+(?:author|writer|contributor)|"
    r"(?:read\s+(?:this|the)\s+(?:article|post|story)\s+)?written\s+by|"
    r"(?:reporting|reported|researched|posted|published|submitted|story|words|text|article|compiled)\s+by|"
    r"by|von|geschrieben\s+von|ein\s+(?:beitrag|artikel|kommentar)\s+von|par|écrit\s+par|publié\s+par|"
    r"por|escrito\s+por|publicado\s+por|texto\s+de|av|af|skrevet\s+af|skrevet\s+av|door|di|da|"
    r"autor(?:(?:[/*:_(]-?)?in(?:nen)?\)?|es|en)?|autore|auteur(?:e|s)?|authors?|author\s+name|text|texte|texto|tekst|testo|"
    r"kirjoittaja|toimittaja|teksti|szöveg|tekstas|teksts|daga|piše|pise|reporter|reportage|reportaje|a\s+cura\s+di|reportagem\s+de|"
    # a lawyer's title before a guest author's name ("Rechtsanwalt Dennis Tölle")
    r"rechtsanwalt|rechtsanwältin|fachanwalt|fachanwältin|avocat|avocate|abogado|abogada|avvocato|avvocata|"
    r"propos\s+recueillis\s+par|r[ée]dig[ée]e?\s+par|penulis|oleh|wartawan|pewarta|haber(?=\s*:)|"
    r"текст|автор|авторы|автор\s+текста|подготовила?|текст\s+подготовила?|yazan|muhabir|szerző|"
    # Arabic, Persian, Hebrew, Thai: "by", "wrote", "writer", "report"
    r"بقلم|كتب|كتبت|كتبه|إعداد|اعداد|بواسطة|به\s+قلم|نویسنده|نوشته|گزارش|خبرنگار|מאת|โดย|tác\s+giả|phóng\s+viên)\b"
    r"\s*[:\-–—]?\s*(?:(?:د|أ|م)\.\s*|الدكتور\s+|دكتور\s+|الأستاذ\s+)?", re.I)
# The same in Chinese, Japanese and Korean, where the label may touch the name ("记者 王小明",
# "文/王小明"; 文 alone is also a surname, so it needs its separator).
_CJK_PREFIX = re.compile(r"^\s*(?:(?:本报|本報|新华社|新華社)?(?:記者|记者)\s*[:/|]?|(?:作者|撰文|筆者|执笔|執筆|취재|글)\s*[:/|]?|"
                         r"文\s*[:/|])\s*")
_CJK_SUFFIX = re.compile(r"(?<=\S{2})\s?(?:記者|记者|特派員|特派员|기자|특파원)$")     # "山田太郎記者"
# Clauses that credit someone other than an author: editors, photographers, translators, reviewers.
_OTHER_CREDIT = re.compile(
    r"(?P<label>\b(?:additional\s+reporting|editing|edited|editor|photos?|photographs?|photographed|photography|pictures|images?|illustrations?|"
    r"graphics?|video|translated|translation|fact[- ]?checked|reviewed|medically\s+reviewed|"
    r"produced|produktion|redigiert|bearbeitet|fotos?|bilder|übersetzt|übersetzung|édité|édition|traduit|"
    r"traduction|edición|editado|traducido|fotografía|redigert|redigerad|foto|kuvat?)\s+"
    r"(?:by|von|par|por|de|av|af|door|di)\b|\b(?:editing|edited|editor|editora?|redaktur|redaktor|toimetaja|photos?|fotos?|kuvat?|bild(?:er)?|kép|zdjęcia|kamera|фото|иллюстрации|montage|son|mixage|réalisation)\s*:|(?:责任编辑|責任編輯|编辑|編輯|編集|编审|摄影|攝影|写真|사진|편집)\s*[:：/])(?:\s*\|)?.*?"
    # ...up to the next clause: a separator, " / " or another label ("Fotos: X, Texto: Y")
    r"(?=;|\||\s/\s|[,\s]\s*[^\W\d_]+\s*:|$)", re.I)
# "Patricio Candia | Palma de Mallorca | 08/01/2014": the field between a byline's name and its
# date is the place the story was filed from (a gazetteer misses "Palma de Mallorca").
_PLACE_BEFORE_DATE = re.compile(r"^(?P<head>[^|•·]*[^\W\d_][^|•·]*(?:[|•·][^|•·]*)*?)[|•·][\s|•·]*"
                                r"(?P<place>[^\W\d_][^|•·\d]{1,40}?)\s*[|•·]\s*"
                                r"(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b[^|•·]*)$")
# A widget's list of topics or tags ends the byline: "… | Follow the topics within this article |
# Davis Cup" names no author; so does an author card's search links ("Search for this author in: |
# PubMed | Google Scholar").
_TOPICS_TRAILER = re.compile(r"(?:^|[|·•])\s*(?:follow\s+the\s+topics\b|(?:you\s+can\s+also\s+)?search\s+for\s+this\s+author\b|"
                             r"view\s+author\s+publications\b|(?:topics?|tags?|tagged|themen|"
                             r"schlagwörter|sujets?|temas?|etiquetas?|emner|ämnen|aiheet)\s*:).*$", re.I | re.S)
# A full stop after a word (not an initial or a title such as "Dr.") ends a name: "Finian
# Cunningham. Sputnik International".
_NAME_THEN_SENTENCE = (r"(?<=[^\W\d_]{3})(?<!\bProf)(?<!\bGen)(?<!\bCol)(?<!\bSgt)(?<!\bGov)(?<!\bSen)"
                       r"(?<!\bRep)(?<!\bRev)(?<!\bHon)(?<!\bMrs)(?<!\bCapt)(?<!\bChas)(?<!\bThos)(?<!\bJas)(?<!\bGeo)"
                       r"(?<!\bSte)(?<!\bMme)(?<!\bMgr)(?<!\bMlle)\.\s+(?=[A-Z])")
# Connectives are matched in lower case (or ALL-CAPS bylines' AND/UND/ET): "E", "Y" and "I" are
# also initials.
_SEPARATORS = re.compile(r"\s*(?:;|,|、|\||\s/\s|&|\+|•|·|\s[–—-]\s|%s|" % _NAME_THEN_SENTENCE +
                         r"\b(?:and|und|og|och|y|et|e|en|ja|i|ve|és|și|dan|и|і|και|AND|UND|ET|OG|OCH|ΚΑΙ)\b|\b(?i:with)\s+(?=\S+\s+\S))\s*")
# "JANE SMITH FOR MAILONLINE", "Jane Doe, Special to the Star Tribune": the outlet follows.
_FOR_OUTLET = re.compile(r"\s+(?i:for|special\s+to)\s+(?P<outlet>(?i:the\s+)?[A-Z][^,;|/]*)")
_MATERIAL_FROM = re.compile(r"^(?:material|informationen|information|informations|infos?|agences?|agencias?)\s+"
                            r"(?:von|de|from|der|des|da)\s+", re.I)       # "mit Material von dpa"
# "With" an agency or outlet, in the languages that say so ("Par Claire Dubois avec AFP", "Por Ana
# Li, com Agência Brasil", "Von Max Müller mit dpa"): what follows is never a person.
_WITH_OUTLET = re.compile(r"(?:,?\s+|^)\b(?:avec|mit|con|com|med)\s+(?P<outlet>[^,;|/]+)")
_CONNECTIVE = re.compile(r"and|und|og|och|y|et|e|en|ja|i|ve|és|și|dan|и|і|και|&|AND|UND|ET|OG|OCH|ΚΑΙ")
_HARD_SEPARATORS = re.compile(r"\s*(?:;|,|、|\||•|·|\s[–—-]\s|%s)\s*" % _NAME_THEN_SENTENCE)
_HARD_SEPARATORS_KEPT = re.compile("(%s)" % _HARD_SEPARATORS.pattern)
_SPACED_DASH = re.compile(r"\s[–—-]\s")
_EMAIL_URL_HANDLE = re.compile(r"\S+@\S+\.\S+|https?://\S+|www\.\S+|\b[\w-]+\.(?:com|net|org|io|co|info)\b\S*|"
                                r"(?<![\w.])@\w+", re.I)
# Role words, in several languages: they make a part a job title, not a name, and end a name
# that a title is glued to ("Keith Barry Senior Autos Reporter").
_ROLE = (r"staff|writer|writers|reporter|reporters|correspondent|correspondente?|corresponsal|editor|editors|"
         r"editorial|contributor|contributing|reporting|columnist|author|blogger|founder|co-founder|ceo|cto|cmo|coo|"
         r"president|director|manager|head|lead|chief|senior|junior|associate|assistant|deputy|executive|"
         r"photographer|producer|analyst|specialist|strategist|consultant|developer|engineer|designer|"
         r"coordinator|officer|intern|expert|researcher|journalist|journaliste|periodista|redakteur|"
         r"redakteurin|redaktør|redaktör|toimittaja|korrespondent|korrespondentin|reporterin|autorin|"
         r"rédacteur|rédactrice|chefredakteur|envoyé|envoyée|spécial|spéciale|freelance|freelancer|"
         r"marketing|owner|partner|professor|lecturer|teacher|student|nutritionist|dietitian|trainer|"
         r"coach|host|anchor|presenter|critic|reviewer|moderator|creator|guest|team|desk|"
         r"sports|business|politics|health|science|technology|tech|entertainment|culture|travel|"
         r"weather|opinion|news|autos|finance|money|international|national|foreign|political|transport|"
         r"environment|environmental|education|crime|royal|diplomatic|economics|economic|security|defence|"
         r"defense|legal|industry|consumer|medical|motoring|fashion|investigations|investigative|features|"
         r"mwandishi|waandishi|"
         r"기자|특파원|記者|记者|特派員|特派员")
_ROLE_WORD = re.compile(rf"^(?:{_ROLE})$", re.I)
# Words that make a part an organisation rather than a person.
_ORG_WORD = re.compile(
    r"\b(?:staff|team|desk|newsroom|press|news|agency|agencies|media|online|network|group|inc|ltd|llc|gmbh|"
    r"ag|sa|plc|corp|company|co|magazine|journal|times|post|daily|gazette|tribune|herald|courier|bote|"
    r"zeitung|tagblatt|blatt|anzeiger|kurier|presse|rundschau|echo|radio|tv|television|channel|service|services|wire|editors|"
    # "daily" and "newspaper" in other languages ("Le Quotidien", "Il Quotidiano", "Dagbladet")
    r"quotidien|quotidiano|cotidiano|periódico|dagblad|dagbladet|avisen|tidning|tidningen|gazeta|gazzetta|noviny|"
    r"redaktion|rédaction|redacción|redazione|redaksjonen|redaksjon|redaktionen|toimitus|redactie|"
    r"редакция|редакція|redakcja|redakce|szerkesztőség|redacția|redação|redacção|redaksi|uredništvo|"
    r"redacció|redakcia|redakcija|redaktsioon|ritstjórn|"
    r"agencias|agences|agenzie|agências|agenturen|agentur|agenturmaterial|ajansı|ajansi|agencja|agentura|"
    # "news" in other languages ("Noticias Telemundo", "Boğaziçi Haberleri"; not "Haber", a surname)
    r"noticias|notícias|nachrichten|nieuws|actualités|notizie|nyheter|nyheder|uutiset|wiadomości|zprávy|"
    r"haberleri|новости|новини|tin\s+tức|báo|ειδήσεις|εφημερίδα|"
    # news, newspaper, agency, portal, channel in Arabic, Persian and Hebrew
    r"خبر|أخبار|اخبار|الأخبار|جريدة|صحيفة|وكالة|بوابة|قناة|خبرگزاری|روزنامه|חדשות|עיתון|"
    # "desk" and "news" in Urdu
    r"ڈیسک|نیوز|"
    r"編集部|编辑部|merkezi|"
    r"university|institute|council|foundation|association|society|department|ministry|office|center|centre|"
    r"bureau|büro|"
    # a business's name ("Texas Mattress Makers", "Townsquare Interactive")
    r"makers|interactive|solutions|technologies|labs|studios|consulting|industries|enterprises|holdings|"
    r"productions|publishing|publishers|systems|software|partners|international|"
    # publishing houses ("Ediciones El País", "Éditions Larousse", "Axel Springer Verlag")
    r"ediciones|edições|éditions|edizioni|editions|verlag|verlagsgruppe|"
    # company forms and German bodies ("Arentik d.o.o.", "CDU-Fraktion Erfurt")
    r"d\.o\.o|s\.r\.o|sarl|kft|fraktion|partei|verein|verband|stiftung|gewerkschaft|"
    # newspapers' names ("Sioux City Telegraph", "The Inquirer")
    r"telegraph|chronicle|sentinel|inquirer|bulletin|dispatch|argus|examiner|today)\b",
    re.I)
_IN_OR_ON = re.compile(r"\s+(?:in|on)\s+(?=[^\W_])")
# Outlets in scripts without spaces end in a word for newspaper, network, agency, broadcaster
# ("毎日新聞", "人民网", "연합뉴스", "조선일보").
_UNCASED_OUTLET = re.compile(r"(?:新聞|新闻|新聞社|日報|日报|晚报|時報|时报|网|網|通信|通信社|通讯社|電視台|电视台|"
                             # desks: "연합뉴스 경제부", "共同通信社会部"
                             r"경제부|사회부|정치부|국제부|문화부|산업부|편집부|취재부|보도국|経済部|社会部|政治部|国際部|報道部|"
                             r"放送|テレビ|ニュース|뉴스|신문|일보|방송|통신|미디어|네이버|다음)$")
# A name that opens with an article is a title's ("The Guardian", "Der Spiegel", "Die Zeit"). Not so
# in other languages: Les, Le, La, El, Lo and Das open people's names too (Les Carpenter, Le Hoang).
_OUTLET_ARTICLE = re.compile(r"^(?:the\s+\S|(?:der|die)\s+\S+$)", re.I)
# Words seen in byline widgets that are never part of a name.
_UI_WORD = re.compile(r"^(?:view|posts?|articles?|more|see|all|about|the|subscribe|share|follow|read|"
                      r"profile|contact|email|e-mail|bio|name|updated|published|submitted|posted|written|on|at|in|min|comments?|"
                      r"menu|home|search|login|sign|by|reading|time|mins?|minutes|listen|print|corresponding|"
                      r"your|my|our|his|her|their|photo|photos|foto|fotos|privacy|policy|terms|cookies|copyright|sitemap|"
                      r"newsletter|advertise|careers|faq|load|show|less|copy|artikel|empfehlen|teilen|drucken|merken|@)$", re.I)
# Widget words that are also surnames (Thomas More, Piers Paul Read); "Load More" is no name.
_UI_SURNAME = re.compile(r"^(?:More|Read|Home|Print|Min)$")
# Lower-case particles inside names (Ludwig van Beethoven, Ana de la Cruz, Omar bin Laden).
_PARTICLE = re.compile(r"^(?:van|von|der|den|de|del|della|di|da|das|dos|du|la|le|ten|ter|bin|ibn|al|el|"
                       r"y|zu|af|av|St\.?|d'\w+|l'\w+)$")
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,6}|[A-Z](?:\.[A-Z])+\.?|Ph\.?D\.?|M\.?Sc\.?|[A-Z]{2,5}[®™])[.,]?$")
# Post-nominal letters that follow a name after a comma ("Lizzie Streit, MS, RDN"); other short
# acronyms there (a station's call letters) stay organisations.
_POSTNOMINALS = frozenset("""md do phd dphil rn rd rdn ld ldn ms msc ma ba bsc mph mba jd llm cpa cfa cfp cfe chfc
    mw dds dmd dvm pharmd pt dpt ot np fnp cnm lcsw lpc lmft psyd edd cns cde cdces cscs facp fraps frcp frcs
    mrcgp mrcp mbbs mbchb bds faan facc facs fache pe peng esq""".split())
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}[A-Z]?\.?$|^[A-Z]\.?$")
_MAX_NAME_WORDS = 5
# Site accounts that sign posts ("Admin", "jdadmin", "webmaster"): no person's name.
_ACCOUNT = re.compile(r"^(?:[^\W\d_]{0,4}admin|administrator|webmaster|anonymous|unknown|user\d*)$", re.I)

# Wire agencies: the names and abbreviations under which they credit stories, and one canonical name.
# Abbreviations written in capitals are matched in capitals only (they are also words or names:
# "Ani", "Aa", "Tt"); those written in lower case here match in any case ("Ap Auto Writer").
_AGENCIES = (
    (r"the\s+associated\s+press|associated\s+press|ap", "The Associated Press"),
    (r"reuters|thomson\s+reuters", "Reuters"),
    (r"agence\s+france[- ]presse|afp", "AFP"),
    (r"deutsche\s+presse[- ]agentur|dpa", "dpa"),
    (r"dpa-AFX", "dpa-AFX"),
    (r"agencia\s+efe|efe", "EFE"),
    (r"ANSA", "ANSA"),
    (r"kyodo(?:\s+news)?", "Kyodo News"),
    (r"xinhua(?:\s+news\s+agency)?", "Xinhua"),
    (r"PA\s+media|press\s+association|PA\s+news\s+agency", "PA Media"),
    (r"united\s+press\s+international|upi", "UPI"),
    (r"bloomberg(?:\s+news)?", "Bloomberg"),
    (r"dow\s+jones(?:\s+newswires)?", "Dow Jones Newswires"),
    (r"the\s+canadian\s+press|canadian\s+press|la\s+presse\s+canadienne", "The Canadian Press"),
    (r"australian\s+associated\s+press|aap", "AAP"),
    (r"press\s+trust\s+of\s+india|pti|पीटीआई", "PTI"),
    (r"IANS|आईएएनएस", "IANS"), (r"ANI|एएनआई", "ANI"), (r"UNI|यूएनआई", "UNI"),
    (r"associated\s+press\s+of\s+pakistan|APP|اے\s*پی\s*پی", "APP"),
    (r"bangladesh\s+sangbad\s+sangstha|BSS", "BSS"),
    (r"yonhap(?:\s+news\s+agency)?|연합뉴스|聯合ニュース", "Yonhap"),
    (r"共同通信(?:社)?", "Kyodo News"),
    (r"jiji(?:\s+press)?|時事通信(?:社)?", "Jiji Press"),
    (r"新华社|新華社", "Xinhua"),
    (r"china\s+news\s+service|中新社|中国新闻社", "China News Service"),
    (r"TASS|ТАСС", "TASS"), (r"RIA\s+novosti|RIA|РИА\s+новости", "RIA Novosti"), (r"interfax|интерфакс", "Interfax"),
    (r"sputnik|спутник", "Sputnik"), (r"ukrinform|укрінформ", "Ukrinform"), (r"УНН|UNN", "UNN"),
    (r"中央社|central\s+news\s+agency", "CNA"),
    (r"anadolu(?:\s+(?:agency|ajansı|ajansi))?|AA", "Anadolu Agency"),
    (r"İHA|IHA", "İHA"), (r"DHA", "DHA"),
    (r"europa\s+press", "Europa Press"),
    (r"keystone-(?:SDA|ATS)|sda|ATS", "Keystone-SDA"),
    (r"apa", "APA"), (r"kna", "KNA"), (r"epd", "epd"),
    (r"ntb", "NTB"), (r"TT\s+nyhetsbyrån|TT", "TT"), (r"ritzau", "Ritzau"), (r"stt", "STT"),
    (r"anp", "ANP"), (r"belga", "Belga"),
    (r"agi", "AGI"), (r"adnkronos", "Adnkronos"), (r"lusa", "Lusa"),
    (r"ag[eê]ncia\s+brasil|(?-i:ABr)", "Agência Brasil"),
    (r"notimex", "Notimex"), (r"télam|telam", "Télam"), (r"prensa\s+latina", "Prensa Latina"),
    (r"bernama", "Bernama"), (r"ANTARA", "ANTARA"), (r"philippine\s+news\s+agency|PNA", "PNA"),
    (r"vietnam\s+news\s+agency|VNA|TTXVN", "VNA"),
    (r"PAP", "PAP"), (r"ČTK|CTK", "ČTK"), (r"TASR", "TASR"), (r"MTI", "MTI"), (r"agerpres", "Agerpres"),
    (r"BTA|БТА", "BTA"), (r"HINA", "HINA"), (r"STA", "STA"), (r"tanjug|танјуг|танюг", "Tanjug"), (r"AMNA|ANA-MPA", "ANA-MPA"),
    (r"BNS", "BNS"), (r"LETA", "LETA"), (r"ELTA", "ELTA"),
    (r"IRNA|ایرنا", "IRNA"), (r"ISNA|ایسنا", "ISNA"), (r"tasnim", "Tasnim"), (r"KUNA", "KUNA"), (r"QNA", "QNA"),
    (r"WAM|وام", "WAM"), (r"SPA", "SPA"), (r"MENA", "MENA"), (r"APS", "APS"), (r"TAP", "TAP"), (r"WAFA", "WAFA"),
    (r"maghreb\s+arabe\s+presse|MAP", "MAP"),
    (r"news\s+agency\s+of\s+nigeria|NAN", "NAN"), (r"ghana\s+news\s+agency|GNA", "GNA"),
    (r"ethiopian\s+news\s+agency|ENA|ኢዜአ", "ENA"),
    (r"agencia\s+andina|ANDINA", "Andina"), (r"PETRA|بترا", "Petra"),
)


# Agencies whose short name is an agency only before a job title ("PA Health Correspondent"; "PA"
# alone may be Pennsylvania).
_TITLE_AGENCIES = {"PA": "PA Media"}
# The beats in an agency's job titles ("AP Auto Writer", "PA Health Correspondent", "AP Legal
# Affairs Writer"): a surname there ("Efe Obada Staff Writer") makes it a name instead.
_BEAT = re.compile(r"auto|autos|legal|affairs|global|religion|food|energy|markets?|transportation|race|ethnicity|"
                   r"white|house|climate|tech|technology|sports?|medical|science|economics?|economy|business|health|"
                   r"political|politics|diplomatic|entertainment|education|environment(?:al)?|immigration|justice|"
                   r"courts?|crime|weather|travel|music|arts?|film|books?|investigative|national|international|world|"
                   r"foreign|consumer|personal|finance|financial|money|real|estate|housing|labou?r|aviation|"
                   r"agriculture|farm|faith|military|defen[cs]e|security|intelligence|congressional|supreme|"
                   r"chief|senior|deputy|special|wine|fashion|video|data|visual", re.I)


def _is_beat_title(text: str) -> bool:
    words = [w.strip(".,") for w in text.split()]
    return bool(words) and bool(_JOB_NOUN.fullmatch(words[-1])) and len(words) <= 5 and all(
        _ROLE_WORD.match(w) or _BEAT.fullmatch(w) or w.lower() in ("of", "and", "&") for w in words[:-1])


# Agency abbreviations that are also names of regions a correspondent covers ("MENA Correspondent").
_REGION_WORDS = {"MENA"}


def _capitals_kept(pattern: str) -> str:
    """`pattern` with its all-capitals alternatives matched in capitals only and the others in any
    case, whatever the flags of the expression it goes into."""
    alternatives, depth, start = [], 0, 0
    for index, char in enumerate(pattern):
        depth += char == "(" and pattern[index - 1:index] != "\\"
        depth -= char == ")" and pattern[index - 1:index] != "\\"
        if char == "|" and depth == 0:
            alternatives.append(pattern[start:index])
            start = index + 1
    alternatives.append(pattern[start:])
    return "|".join(f"(?-i:{a})" if a.isupper() else f"(?i:{a})" for a in alternatives)


_AGENCY_PATTERNS = [(re.compile(rf"^(?:{_capitals_kept(p)})$", re.I), name) for p, name in _AGENCIES]
_AGENCY_ALTERNATION = "|".join(_capitals_kept(p) for p, _ in _AGENCIES)
_AGENCY_WORD = re.compile(r"ag[eêè]nc(?:e|ia|ja|y)|agenzia|agentur|agentura|ajans", re.I)
_GLUED_AGENCY = re.compile(rf"^(?P<rest>\S.*?\S)\s*,?\s+(?:of\s+)?(?P<agency>{_AGENCY_ALTERNATION})$", re.I)
_WITH_AGENCY = re.compile(rf"(?:^|(?<=\s))(?i:with|and)\s+(?P<agency>(?:{_AGENCY_ALTERNATION})(?:\W*$|(?=[,;|])))")
_SLASH_AGENCY_AFTER = re.compile(rf"/(?=(?:{_AGENCY_ALTERNATION})(?:\W|$))", re.I)
_SLASH_AGENCY_BEFORE = re.compile(rf"(?<![\w/])(?P<agency>{_AGENCY_ALTERNATION})/(?=\w)", re.I)
# "MOSCOW (AP) —", "BERLIN (dpa) -", "PARIS, 3 mars (AFP) -"
# "Copyright 2026 The Associated Press. All rights reserved.", "© AFP 2026", "(c) dpa"
_COPYRIGHT = re.compile(rf"(?:copyright|©|\(c\))\s*(?:\d{{4}}\s*)?(?P<agency>{_AGENCY_ALTERNATION})\b", re.I)
# Credit lines at the end of a wire story.
_NAME = r"[A-ZÀ-ÖØ-ÞА-ЯЁΑ-Ω][\w'’.-]+(?:\s+(?:[A-ZÀ-ÖØ-ÞА-ЯЁΑ-Ω][\w'’.-]+|van|von|de|del|da|di|bin|al|le|la)){1,3}"
_NAMES = rf"{_NAME}(?:(?:,\s*|\s+and\s+|,\s+and\s+){_NAME})*"
# "MOSCOW (AP) —", "BERLIN (dpa) -", "PARIS, 3 mars (AFP) -", "Ilorin, Oct. 6, 2025 (NAN) The…", Russian
# and Bulgarian "МОСКВА, 14 ноября. /ТАСС/.", "/Стефан Иванов, БТА/" (the reporter with the agency).
_DATELINE = re.compile(rf"^(?!(?:photo|foto|image|picture|bild|credit)s?\b)"
                       rf"(?:(?P<before>[^\n(]{{0,60}})\(\s*(?:(?P<names>(?-i:{_NAMES})),\s*)?(?P<agency>{_AGENCY_ALTERNATION})\s*\)"
                       # (without a dash the text goes on with a sentence, not a lower-case word)
                       r"\s*(?:[—–\-:.।፦]|(?=[^\W\d_])(?-i:(?![a-zß-ÿ])))|"
                       rf"[^\n(/]{{0,60}}/\s*(?:(?P<names2>(?-i:{_NAMES})),\s*)?(?P<agency2>{_AGENCY_ALTERNATION})\s*/"
                       r"\s*(?:[—–\-:.]|(?=[^\W\d_])|$))", re.I)
# Chinese agencies' datelines with their reporters: "新华社北京6月3日电（记者王思远、李婧）", and the
# Taiwanese "中央社記者陳怡君台北15日電" (name, then the place: a name of three characters when five
# or more stand before the day, else two).
_XINHUA_DATELINE = re.compile(r"(?P<agency>新华社|新華社|中新社)[^（(]{0,20}[电電][（(](?:记者|記者)"
                              r"(?P<names>[\u4e00-\u9fff]{2,4}(?:[、 ][\u4e00-\u9fff]{2,4})*)[）)]")
_CNA_DATELINE = re.compile(r"(?P<agency>中央社)(?:记者|記者)(?P<rest>[\u4e00-\u9fff]{4,7}?)\d{1,2}日[电電]")
# ...and with no reporter named ("新华社北京11月17日电 记者17日从…获悉": 记者 is "reporters learned").
_CHINESE_AGENCY_DATELINE = re.compile(r"^[（(]?(?P<agency>新华社|新華社|中新社|中央社)[\u4e00-\u9fff]{0,10}?(?:\d{1,2}月)?"
                                      r"\d{1,2}日[电電]")
_REPORTED_FROM = re.compile(rf"^(?P<names>{_NAMES})\s+reported\s+(?:from|in)\s+[^.]+\.?$")
_REPORTING_BY = re.compile(r"^\(?\s*reporting\s+by\s+(?P<names>[^;()]+)", re.I)
# In the same line, the writer who put the reporting together is an author too ("Reporting by X;
# Writing by Y; Editing by Z").
_WRITING_BY = re.compile(r";\s*writing\s+by\s+(?P<names>[^;()]+)", re.I)
# A closing credit naming only an agency: "(With inputs from PTI)", "Sursa: AGERPRES", "(Con
# información de EFE)", "(Theo Reuters)", "/ritzau/", "(AAP)"; or one after the last sentence
# ("… the minister said. — Bernama").
_AGENCY_CREDIT_LABEL = (r"with\s+inputs?\s+from|inputs?\s+from|with|sources?|sursa|fonte|fuentes?|quelle|kilde|källa|"
                        r"lähde|bron|źródło|zdroj|forrás|kaynak|izvor|джерело|источник|theo|nguồn|sumber|"
                        r"con\s+informaci[oó]n\s+de|con|com\s+informações\s+d[aeo]s?|com|avec|mit\s+material\s+von|"
                        r"mit|met|med|via|"
                        # "source" in Arabic and Persian
                        r"المصدر|مصدر|منبع")
_AGENCY_CREDIT_LINE = re.compile(rf"^[(\[/]?\s*(?:(?:{_AGENCY_CREDIT_LABEL})\s*[:：]?\s*)?"
                                 # an editor's initials before the agency ("jwe/dpa", "ala/AFP")
                                 r"(?:(?-i:[a-zäöüß]{2,4})\s?/\s?)*"
                                 rf"(?P<agency>{_AGENCY_ALTERNATION})(?:\s?/\s?(?:{_AGENCY_ALTERNATION}|[a-z]{{2,4}}))*"
                                 r"(?:\s*(?:,|and|y|et|und|e|&)\s*(?:agencies|agencias|agences|agenturen|agenzie|agências))?"
                                 r"\s*[)\]/]?\s*\.?$", re.I)
# A closing line crediting an agency's help ("The Associated Press contributed to this report.",
# "Associated Press writers X and Y contributed", USA Today's "Contributing: Liz Szabo, Associated Press").
_CONTRIBUTED = re.compile(rf"^(?:(?:the\s+)?(?P<agency>{_AGENCY_ALTERNATION})(?:\s+(?:staff\s+)?(?:writers?|reporters?|correspondents?|staff)"
                          rf"\b[^.;]{{0,80}}?)?\s+contributed\s+(?:(?:to\s+)?this\s+(?:report|story|article)|reporting)\b|"
                          rf"contributing\s*:.*?[,;]\s*(?:and\s+)?(?:the\s+)?(?P<agency2>{_AGENCY_ALTERNATION})\s*\.?$)", re.I)
# The writer's name closing the text with the agency the story is from ("Thanh Tâm (Theo Reuters)",
# "Jane Doe (AFP)").
_NAME_WITH_AGENCY = re.compile(rf"^(?P<names>(?-i:{_NAMES}))\s*\(\s*(?:(?:{_AGENCY_CREDIT_LABEL})\s*[:：]?\s*)?"
                               rf"(?P<agency>{_AGENCY_ALTERNATION})\s*\)\.?$", re.I)
# An agency's trailer naming the author among its editors ("(AS - autor: Florin Marin, editor: Ana Pop)").
_TRAILER_AUTHOR = re.compile(rf"^[^()]{{0,20}}\(.{{0,20}}?\bautor(?:ul)?\s*:\s*(?P<names>(?-i:{_NAME}))\s*[,;)]", re.I)
# An Austrian or Swiss closing credit: writer, agency, day ("(Lisa Hofbauer, APA, 5.3.2025)").
_NAME_AGENCY_DAY = re.compile(rf"^\((?P<names>(?-i:{_NAMES})),\s*(?P<agency>{_AGENCY_ALTERNATION})"
                              r"(?:,\s*\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{2,4})?)?\)$", re.I)
_ROLE_AT_AGENCY = re.compile(rf"\s(?:of|for|at|with|da|de|do|di|del|für|bei|pour|chez)\s+(?:the\s+)?"
                             rf"(?P<agency>{_AGENCY_ALTERNATION})\W*$", re.I)
_TRAILING_AGENCY = re.compile(rf"[.!?”\"]\s*(?:[—–-]{{1,2}}\s*(?P<agency>{_AGENCY_ALTERNATION})|"
                              rf"\((?P<agency2>{_AGENCY_ALTERNATION})\))\s*\.?$", re.I)
# A byline written as the text's first or last line ("By Bianca Knauf. This guide contains…",
# "This is a guest post by Annelies, a travel blogger.").
_BODY_BYLINE = re.compile(r"^(?:by|written\s+by|words\s+by|reported\s+by|researched\s+by|von|geschrieben\s+von|par|écrit\s+par|por|escrito\s+por|"
                          r"av|af|door|daga|(?:ni|na)(?=\s+(?-i:[A-ZÀ-Þ][A-ZÀ-Þ'’-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'’-]+)+)$))"
                          r"\s+(?P<names>[^\W\d_].*)$", re.I)
# A Chinese credit of reporters and correspondents ("本报记者 王小明 李华", "新华社记者 赵六", "记者 陈思远
# 通讯员 王丽娟"): Chinese names are 2-4 characters, with spaces between them. And a Japanese reporter's
# name in brackets closing the text ("…が注目される。【山田太郎】").
_HAN_NAME = r"[\u4e00-\u9fff]{2,4}"
_CHINESE_CREDIT = re.compile(rf"(?:^|\s)(?:本报|本報|新华社|新華社)?(?:记者|記者|通讯员|通訊員)[\s:：]+(?P<names>{_HAN_NAME}"
                             rf"(?:[\s、,，]+(?!通讯员|通訊員|记者|記者|编辑|編輯){_HAN_NAME})*)(?=\s|$)")
# A Korean story's closing line: the reporters, the word for reporter, maybe an e-mail address.
_KOREAN_DESK = re.compile(r"(?:부|팀|국|실|처|센터)$")     # "정치부 기자": the politics desk
KOREAN_REPORTER_LINE = re.compile(r"^(?P<names>[가-힣]{2,4}(?:\s*[·,]\s*[가-힣]{2,4})*)\s?(?:기자|특파원)(?:\s+\S+@\S+)?$")
_JAPANESE_CLOSING_NAME = re.compile(r"(?:【(?P<names>[\u4e00-\u9fff\u3040-\u30ff]{2,8}(?:[、・][\u4e00-\u9fff]{2,8})*)】|"
                                    # or after the bureau ("（富山支局・田中美咲）")
                                    r"（[^（）・]{1,12}(?:支局|総局|本社|報道部|編集局|社会部|政治部|経済部)・"
                                    r"(?P<bureau_names>[\u4e00-\u9fff]{2,6})）)\s*$")
# A Hong Kong and Taiwanese paper's reporter opening the text ("【記者 陳嘉欣 報道】本港凌晨…").
_OPENING_REPORTER = re.compile(rf"^[【\[]\s*(?:本報|本报)?(?:記者|记者)\s*(?P<names>{_HAN_NAME}"
                               rf"(?:[\s、,，]+(?!報道|报道|報導|报导){_HAN_NAME})*)"
                               r"\s*(?:報道|报道|報導|报导)?\s*[】\]]")
_GUEST_POST = re.compile(r"^(?:this\s+is\s+|this\s+)?(?:a\s+)?guest\s+(?:post|article|blog\s+post)\s+(?:written\s+)?"
                         r"(?:by|from)\s+(?P<names>[^\W\d_].*)$", re.I)
TIME_WORD = re.compile(r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
                        r"may|june|july|august|september|october|november|december|noon|midnight|christmas|easter|"
                        r"the|then|now|end|early|late|mid)\b", re.I)
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?:](?:\s|$)")
_DASH_CREDIT = re.compile(rf"^[—–-]\s*(?P<names>{_NAMES}),?\s+(?:of\s+)?(?P<agency>{_AGENCY_ALTERNATION})\.?$", re.I)


@dataclasses.dataclass(frozen=True)
class ParsedByline:
    persons: tuple = ()
    organizations: tuple = ()


@dataclasses.dataclass(frozen=True)
class BylineChoice:
    raw: Optional[str] = None
    source: Optional[str] = None
    persons: tuple = ()
    organizations: tuple = ()


@dataclasses.dataclass(frozen=True)
class BodyCredit:
    persons: tuple = ()
    agency: Optional[str] = None
    byline: tuple = ()      # persons of a byline written into the text ("By Jane Doe." as a first line)


# --- names -------------------------------------------------------------------------------------
def parse_byline(raw: str | None, publishers: Iterable[str] = (), allow_single_name: bool = False) -> ParsedByline:
    """Persons and organisations in one byline string.

    Prefixes ("By", "Von", "Par", "Por", "Av", "Text:") are dropped, editors/photographers/reviewers
    clauses removed, joined names split (commas, and/und/og/y/et, &, |), job titles removed, e-mails
    and handles removed, ALL-CAPS names put in proper case, duplicates merged. A part naming a wire
    agency, containing an organisation word or equal to a publisher's name is an organisation.
    A one-word name ("Kristen") is accepted only from a source that says it is a name.
    """
    if not raw:
        return ParsedByline()
    text = unicodedata.normalize("NFKC", raw)
    outlet = _outlet_signing_with_address(text)
    if outlet:
        return ParsedByline((), (outlet,))
    text = _EMAIL_URL_HANDLE.sub(" ", text)
    text = _OTHER_CREDIT.sub(" ; ", text)
    text = _TOPICS_TRAILER.sub("", text)
    text = _PLACE_BEFORE_DATE.sub(r"\g<head> | \g<date>", text)
    # "with AAP", "with Reuters": an agency co-credit (not "Jane Doe with Tom Lee", two authors)
    text = _WITH_AGENCY.sub(r" | \g<agency>", text)
    # An agency after or before an unspaced slash ("Anna Andersson/TT", "dpa/lni"); other slashes
    # stay ("Drupal/PHP Developer").
    text = _SLASH_AGENCY_BEFORE.sub(r"\g<agency> | ", _SLASH_AGENCY_AFTER.sub(" | ", text))
    with_outlets = [_MATERIAL_FROM.sub("", m.group("outlet").strip())
                    for pattern in (_WITH_OUTLET, _FOR_OUTLET) for m in pattern.finditer(text)]
    text = _FOR_OUTLET.sub(" ; ", _WITH_OUTLET.sub(" ; ", text))
    text = _hebrew_and_split(text)
    genitive = _GREEK_GENITIVE.match(text)
    if genitive:    # "Του Γιώργου Παπαδόπουλου": "by" is the genitive article, the names are genitives
        greek = parse_byline(text[genitive.end():], publishers, allow_single_name)
        # (Των, the plural, names men and women; lower(): casefold() turns ς into σ)
        feminine = {"της": True, "του": False}.get(genitive.group(0).strip(" |\t\n").lower())
        return ParsedByline(tuple(_greek_nominative(p, feminine) for p in greek.persons), greek.organizations)
    # A parenthesis qualifies the name before it: "Lance Ryan (Content Manager)", "Jane Doe (AP)".
    text = re.sub(r"\(([^()]*)\)", r" | \1 | ", text)
    publisher_keys = {_key(p) for p in publishers if p}
    persons, orgs = [], []
    # After a spaced dash comes what the named person is ("Andrea Valeria - Remote Jobs", "Mark
    # Smith – BBC News"): organisations there count, a second "name" does not.
    for index, piece in enumerate(_SPACED_DASH.split(text)):
        found = _parse_piece(piece, publisher_keys, allow_single_name)
        if not (index and persons):
            persons.extend(found.persons)
        orgs.extend(found.organizations)
    if len(persons) > 1 and " " not in persons[-1] and not _is_uncased_script(persons[-1]):
        # After full names a lone capitalised word is a place or an outlet ("Von Max Müller, Berlin");
        # first, it may be a mononym ("Ihsanuddin, Kristian Erdianto").
        persons = persons[:-1]
    orgs.extend(agency_name(o) or o for o in with_outlets if o[:1].isupper() or agency_name(o))
    if persons and any(agency_name(o) for o in orgs) and not any(" " in p or _is_uncased_script(p) for p in persons):
        persons = []    # beside an agency a lone word is its dateline's place ("EFE | Madrid")
    return ParsedByline(tuple(_unique(persons)), tuple(_unique(orgs)))


def _outlet_signing_with_address(text: str) -> Optional[str]:
    """The outlet a byline names by its web address: a bare domain ("elmundo.es"), or a name before
    an address ("Arentik - www.arentik.com", "Deutsche Welle (www.dw.com)"); None for a person
    signing with one, one that spells the name in parentheses ("Jane Doe (www.janedoe.com)")."""
    if _BARE_DOMAIN.match(text):
        return text.strip()
    site = _NAME_WITH_ADDRESS.match(text)
    if not site:
        return None
    name = _strip_prefix(site.group("name"))
    spelled = "".join(re.findall(r"[^\W\d_]", name)).casefold() in site.group(0).casefold()
    if not person_name(name) or _ORG_WORD.search(name) or (site.group(0).rstrip().endswith(")") and not spelled):
        return name
    return None


_BARE_DOMAIN = re.compile(r"^\s*(?:www\.)?[A-Za-z0-9-]{3,}(?:\.[A-Za-z0-9-]+)*\.(?-i:com|net|org|info|news|de|fr|es|it|pt|nl|be|at|ch|"
                          r"uk|co|ie|dk|se|no|fi|pl|cz|sk|hu|ro|bg|gr|tr|ru|ua|br|ar|mx|cl|pe|in|pk|bd|lk|np|id|my|sg|ph|vn|th|"
                          r"jp|kr|cn|tw|hk|au|nz|za|ng|ke|gh|eg|ma|il|ir|ae|sa|qa|ca|us)\s*$")
_NAME_WITH_ADDRESS = re.compile(r"^\s*(?P<name>[^()|,;]+?)\s*(?:\(\s*(?:https?://)?www\.[^\s()]+\s*\)|[-–—|]\s*(?:https?://)?www\.\S+)\s*$", re.I)


# Greek bylines put the names in the genitive after the article ("Του Γιώργου Παπαδόπουλου", "Της
# Ελένης Παπαδάκη", "Των …").
_GREEK_GENITIVE = re.compile(r"^\s*(?:του|της|των)[\s|]+(?=[\u0370-\u03ff\u1f00-\u1fff])", re.I)


def _greek_nominative(name: str, feminine: bool | None = None) -> str:
    """A Greek name from the genitive to the nominative. A first name ending in ς is a woman's
    (Ελένης -> Ελένη, Μαρίας -> Μαρία; women's surnames do not change); a man's first name and
    surname take back their ς (Γιώργου -> Γιώργος, Γιάννη -> Γιάννης, Κώστα -> Κώστας,
    Παπαδόπουλου -> Παπαδόπουλος, Παπαδάκη -> Παπαδάκης); other surnames in -ου are the same in
    both (Κωνσταντίνου, Γεωργίου). With the article's gender (`feminine`: Της, else Του), a name
    already in the nominative after it stays ("Της Ελένη …", "Του Γιώργος …")."""
    words = name.split()
    if not words or not all(re.fullmatch(r"[\u0370-\u03ff\u1f00-\u1fff-]+", w) for w in words):
        return name
    if feminine is not None and words[0].endswith("ς") != feminine:
        return name
    if words[0].endswith("ς"):
        return " ".join([words[0][:-1]] + words[1:])
    first, *rest = words
    first = first[:-2] + "ος" if first.endswith("ου") else first + "ς" if first[-1] in "ηήαά" else first
    rest = [w[:-2] + "ος" if re.search(r"π[οό]υλου$", w) else w + "ς" if w[-1] in "ηήαά" else w for w in rest]
    return " ".join([first, *rest])


_HEBREW_AND = re.compile(r"(?<=\s)ו(?=[\u05d0-\u05ea]{2,}(?:\s|$))")


def _hebrew_and_split(text: str) -> str:
    """Hebrew joins names with "ו" glued to the next word ("יעל ברק-כהן ועמית לוי"): a comma there,
    after a name of two words or more (after the "מאת" label) and before another word (a lone
    "ורד כהן" is the name Vered Cohen)."""
    if not re.search(r"[\u05d0-\u05ea]", text):
        return text
    chunks = []
    for chunk in re.split(r"(,)", _strip_prefix(text) if text.lstrip().startswith("מאת") else text):
        words = chunk.split()
        start = 0       # the first word of the name being read
        for index in range(2, len(words) - 1):
            if index - start >= 2 and _HEBREW_AND.match(" " + words[index], 1) and len(words[index]) > 2:
                words[index] = "," + words[index][1:]
                start = index
        chunks.append(" ".join(w if not w.startswith(",") else ", " + w[1:] for w in words))
    return "".join(chunks)


def _parse_piece(text: str, publisher_keys: set, allow_single_name: bool) -> ParsedByline:
    persons, orgs = [], []
    last_was_person = after_desk = after_connective = False
    for separator, segment, segment_parts, part in _segments_and_parts(text):
        if last_was_person and _NOT_WRITING.fullmatch(part.strip(" .,")):
            persons.pop()
            last_was_person = False
            continue    # "Renee Calloway | Host", "Jane Doe, Photographer": on the page, not its writer
        if _starts_with_role(segment):
            # A segment that opens with a role word is a job title as a whole, "and" included
            # ("Head of Product Marketing and GTM Strategy"); an agency it works for is kept
            # ("Repórter da Agência Brasil").
            employer = _ROLE_AT_AGENCY.search(segment)
            if employer:
                orgs.append(agency_name(employer.group("agency")))
            last_was_person = False
            continue
        if _CONNECTIVE.fullmatch(segment.strip()):
            after_connective = True     # "JANE SMITH | and | TOM JONES TRANSPORT EDITOR": a second person
            continue
        part = _strip_prefix(part)
        if not part:
            continue
        # "Name | Local Democracy Reporter": a widget's bar (not a list's comma) before a lone part
        title_alone = len(segment_parts) == 1 and not after_connective and separator.strip() in ("|", "·", "•")
        after_connective = False
        # "Jane Doe in International", "Jane Doe on March 3": a post line's category or date after
        # the name is no organisation.
        before = _IN_OR_ON.split(part, maxsplit=1)[0]
        if before != part and " " in before and person_name(before):
            part = before
        # (a whole agency name holds another's: "Australian Associated Press" is AAP, not AP)
        glued = _GLUED_AGENCY.match(part) if not agency_name(part) else None
        # "SAM REED Associated Press", "Jane Doe of Reuters"; not "Maria Ani" (ANI only in capitals)
        if glued and agency_name(glued.group("agency")) and (
                " " in glued.group("rest").strip() or " " in glued.group("agency").strip()
                or _AGENCY_WORD.fullmatch(glued.group("rest").strip())
                or re.search(r"(?:,|\bof)\s+\S+$", part[:glued.end("agency")])):
            part, orgs = glued.group("rest"), orgs + [agency_name(glued.group("agency"))]
            if _AGENCY_WORD.fullmatch(part.strip()):
                continue    # "Agência Lusa"
        titled = _name_and_agency_title(part)
        if titled:
            part, orgs = titled[0], orgs + [titled[1]]     # "TOM KRISHER AP Auto Writer"
        first, _, rest = part.partition(" ")
        employer = (agency_name(first) or _TITLE_AGENCIES.get(first)) if first not in _REGION_WORDS else None
        if rest and employer and _is_beat_title(rest):
            orgs.append(employer)
            last_was_person = False
            continue    # "AP Auto Writer", "Reuters Staff Writer": the agency's job title
        agency = agency_name(part)
        if not agency and last_was_person and _is_postnominal(part):
            continue    # "Lizzie Streit, MS, RDN": credentials after a name, not organisations
        if last_was_person and title_alone and _JOB_NOUN.fullmatch(part.split()[-1].strip(".,")):
            last_was_person = False
            continue    # "Gareth Pennington | Local Democracy Reporter": the named person's job
        part = _without_glued_title(part)
        last_was_person = False
        if not agency and 2 <= len(part) <= 6 and part.isalpha() and part.isupper():
            orgs.append(part)   # an acronym alone (TT, WRAL) is an organisation
            continue
        if (agency or _key(part) in publisher_keys or (_ORG_WORD.search(part) and not _looks_like_role(part))
                or _OUTLET_ARTICLE.match(part) or _UNCASED_OUTLET.search(part)):
            if agency or len(part.split()) <= 8:
                orgs.append(agency or part)
            after_desk = not persons
            continue
        name = person_name(part, allow_single_name)
        if name and is_place(name):
            continue    # "By Jane Doe, New Delhi": where she wrote from
        # (after a bar a CJK desk's reporter follows: "社会部 記者 | 中村彩花")
        if name and after_desk and not agency_name(orgs[-1]) and not (
                _is_uncased_script(name) and separator.strip() in ("|", "·", "•")):
            after_desk = " " not in name    # (lone words go on naming places: "SPIEGEL ONLINE, Hamburg, Germany")
            continue    # "By HT News Desk, New Delhi": the desk's place, not a reporter
        if name:
            persons.append(name)
            last_was_person = True
        after_desk = False
    return ParsedByline(tuple(persons), tuple(orgs))


def _segments_and_parts(text: str):
    """(separator before the segment, segment, the segment's parts, part) for each part of `text`."""
    pieces = _HARD_SEPARATORS_KEPT.split(text)
    for index in range(0, len(pieces), 2):
        separator = pieces[index - 1] if index else ""
        parts = _SEPARATORS.split(pieces[index])
        for part in parts:
            yield separator, pieces[index], parts, part


def _name_and_agency_title(part: str) -> Optional[tuple]:
    """(name, agency) for a name run on into an agency's job title ("JOSH BOAK AP Economics Writer")."""
    words = part.split()
    for index in range(2, len(words) - 1):
        agency = agency_name(words[index]) if words[index] not in _REGION_WORDS else None
        if agency and _is_beat_title(" ".join(words[index + 1:])):
            return " ".join(words[:index]), agency
    return None


def _without_glued_title(part: str) -> str:
    """A name with a job title run on ("Travis Kellerman Staff Writer"), without the title; the part
    as it is when it ends otherwise."""
    words = part.split()
    for index in range(2, len(words)):
        if _looks_like_role(" ".join(words[index:])) and _JOB_NOUN.fullmatch(words[-1].strip(".,")):
            return " ".join(words[:index])
    return part


def _is_postnominal(part: str) -> bool:
    bare = re.sub(r"[.®™\s]", "", part).casefold()
    return bare in _POSTNOMINALS or bool(re.fullmatch(r"(?:[A-Z]\.){2,4}", part.strip()))


# Arabic honorifics before a name ("د." doctor, "أ." professor).
_HONORIFIC = re.compile(r"^\s*(?:(?:د|أ|م)\.\s*|(?:الدكتور|الدكتورة|دكتور|الأستاذ|الأستاذة)\s+)")


# Tagalog and Swahili "by" opening a byline, only before a name of two or more words in capitals
# ("Ni MARIA LOURDES SANTIAGO", "Na JUMA MWAKASEGE"; "Na Li" and "BY NA SANG-HUN" are names).
_NI_NA = re.compile(r"^(?:ni|na)\s+(?=(?-i:[A-ZÀ-Þ][A-ZÀ-Þ'’-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'’-]+)+)$)", re.I)


def _strip_prefix(part: str) -> str:
    part = _NI_NA.sub("", part.strip(" \t\n.:;,-–—•·|/()[]\"'“”"))
    previous = None
    while part != previous:
        previous = part
        part = _CJK_SUFFIX.sub("", _CJK_PREFIX.sub("", _PREFIX.sub("", _HONORIFIC.sub("", part)))).strip(" .:-–—•·|【】（）「」『』")
    return part


def _starts_with_role(segment: str) -> bool:
    words = _strip_prefix(segment).split()
    return bool(words) and bool(_ROLE_WORD.match(words[0].strip(".,"))) and not _ORG_WORD.search(segment)


# Nouns that make a run of role words a person's job title ("Senior Writer", "Chefredakteurin"),
# unlike a section name ("Sports", "Business News").
# Jobs alone after a name that say the person did not write the story.
_NOT_WRITING = re.compile(r"(?:(?:show|radio|tv|guest|co-?)\s*)?(?:host|anchor|presenter|photographer|photojournalist|"
                          r"videographer|illustrator|moderator|moderatorin|fotograf|fotografin|photographe|fotógrafo|"
                          r"fotógrafa)", re.I)
_JOB_NOUN = re.compile(r"writer|reporter|correspondent|correspondente?|corresponsal|editor|columnist|contributor|"
                       r"journalist|journaliste|periodista|redakteur|redakteurin|redaktør|redaktör|toimittaja|"
                       r"korrespondent|korrespondentin|reporterin|rédacteur|rédactrice|chefredakteur|analyst|"
                       r"producer|photographer|blogger|author|autorin|writers|reporters|editors|correspondents|"
                       r"columnists|contributors", re.I)


def is_job_title(text: str) -> bool:
    """A short text that is a person's job title and nothing else: "Senior Writer", "Staff
    Reporter", "Redakteurin"; not a section name ("Sports", "Business News")."""
    words = text.split()
    return 1 <= len(words) <= 4 and _looks_like_role(text) and any(_JOB_NOUN.fullmatch(w.strip(".,")) for w in words)


def _looks_like_role(part: str) -> bool:
    return all(_ROLE_WORD.match(w) or w.lower() in ("of", "for", "the", "and", "&") for w in part.split())


def person_name(part: str, allow_single_name: bool = False) -> Optional[str]:
    """The person's name in a byline part, with a glued job title cut off; None if it is no name."""
    if re.fullmatch(r"(?:[А-ЯЁӨҮІЇЄ]\.){1,2}[А-ЯЁӨҮІЇЄ][а-яёөүіїє'’-]+", part.strip()):
        return part.strip()     # Mongolian, Kazakh and Russian initials glued to the name ("Б.Энхтуяа")
    words = part.split()
    if len(words) == 2 and _UI_SURNAME.match(words[1]) and person_name(words[0], allow_single_name=True):
        return part     # "Rachel More": a widget word that is also a surname
    had_role = False
    if _AGENCY_STYLE_SURNAME.match(part.strip()) and not _NOT_A_FIRST_NAME.match(words[0]):
        # Agencies write the surname in capitals ("Camille THOREL", "Jean-Marc LE MOAL")
        return " ".join(w if not w.isupper() else _proper_case(w) for w in words)
    shouted = part.isupper()
    words = _without_trailing_letters(words, shouted)
    # Cut a job title glued after the name: the name ends before the first role word.
    for index, word in enumerate(words):
        if index >= 1 and (_ROLE_WORD.match(word.strip(".,")) or _UI_WORD.match(word.strip(".,"))):
            words, had_role = _without_trailing_letters(words[:index], shouted), True
            break
    while words and _ROLE_WORD.match(words[0].strip(".,")):
        words, had_role = words[1:], True
    if not words or len(words) > _MAX_NAME_WORDS:
        return None
    caseless = not any(ch.isupper() or ch.islower() for ch in words[0]) or _is_uncased_script(words[0])
    if len(words) == 1 and not (caseless and len(words[0]) >= 2) and (
            not allow_single_name or had_role or words[0].isupper() or len(words[0]) < 2):
        return None     # "Kristen" from a name field is a name; "WRAL" or "Event" (Coordinator) are not
    if (len(words) == 1 and _ACCOUNT.match(words[0])) or any(
            re.fullmatch(r"(?:site|web)?admin(?:istrator)?|webmaster", w, re.I) for w in words):
        return None     # "Admin Bpn": a CMS account ("admin_bpn") shown as a name
    if any(w.casefold() in ("www", "http", "https", "com") for w in words):
        return None     # an address spelled out ("Www Facebook Com")
    if _PARTICLE.match(words[-1]):
        return None     # "Coordenadoria de": a name cut short, not a surname
    if len(words) == 1 and re.search(r"[a-z][A-Z]", words[0]) and not re.match(r"(?:Mc|Mac|O'|D')[A-Z]", words[0]):
        return None     # a camel-cased word ("SandboxAQ", "TechCrunch") is a brand, not a first name
    for word in words:
        bare = word.strip(".,")
        if not bare or any(ch.isdigit() or ch in "/\\=<>{}:" for ch in bare) or _UI_WORD.match(bare):
            return None
        if _PARTICLE.match(bare) or _INITIALS.match(bare):
            continue
        first = bare[0]
        if _is_uncased_script(bare):
            continue
        if first.isalpha() and first.islower():
            return None
        if not first.isalpha() and first not in "'’":
            return None
    name = " ".join(words)
    # (a name in capitals keeps the small letters of Mc and Mac: "TANESHA McFARLANE")
    shouted = re.sub(r"\b(?:Mc|Mac)(?=[A-Z]{2})", lambda m: m.group(0).upper(), name).isupper()
    if shouted and not name.isupper() and not _ORG_WORD.search(name) and not re.search(r"['’]S\b", name):
        return " ".join("-".join(_mc_case(piece) for piece in word.split("-")) for word in words)
    if not name.isupper() and any(len(w) >= 2 and w.isupper() and "." not in w for w in words):
        return None     # an acronym among capitalised words ("MCJ May") names an organisation
    if name.isupper() and any(len(w) > 2 for w in words):
        name = " ".join(w if _INITIALS.match(w) else _proper_case(w) for w in words)
    return name


# Letters after a name in capitals that are no surname: honours, offices and broadcasters ("KEMI
# BADENOCH MP", "JANE DOE CNN"); of the credentials, DO, MA and BA are also surnames (Đỗ, 马).
_CAPS_TRAILERS = (_POSTNOMINALS - {"do", "ma", "ba"}) | frozenset(
    "mp kc qc obe mbe cbe kbe dbe mep msp ms aprn msn bsn frcgp jp cnn bbc abc npr cbs nbc itv rte cbc pbs".split())


def _without_trailing_letters(words: list, shouted: bool) -> list:
    """The name's words without post-nominal letters at the end (MD, PhD, M.P.H., CFP®): in a name
    written in capitals only known letters and agencies ("NURUL AIN HASSAN" keeps its surname, "JOSH
    BOAK AP" loses the AP of "AP Economics Writer")."""
    while len(words) > 2 and _CREDENTIAL.match(words[-1]) and (
            not shouted or re.sub(r"[.,®™]", "", words[-1]).casefold() in _CAPS_TRAILERS or agency_name(words[-1])):
        words = words[:-1]
    return words


def _mc_case(word: str) -> str:
    """A word of a name in capitals in proper case, Mc and Mac kept ("McFARLANE" -> "McFarlane")."""
    mc = re.fullmatch(r"(Mc|Mac)([A-Z])([A-Z]+)", word)
    return mc.group(1) + mc.group(2) + mc.group(3).lower() if mc else _proper_case(word) if word.isupper() else word


# Words that open an outlet's name written like that ("Le FIGARO", "Harper's BAZAAR", "Prensa LIBRE").
_NOT_A_FIRST_NAME = re.compile(r"^(?:the|le|la|les|el|los|las|il|lo|der|die|das|de|het|prensa|diario|revista|radio|"
                               r"visit|[^\W\d_]+['’]s)$", re.I)
# Given names in proper case, then a surname in capitals of four letters or more with a vowel (not
# an acronym: "Tom CNN", "Translators USA").
_AGENCY_STYLE_SURNAME = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?\s+){1,2}"
                                   r"(?=[A-ZÀ-ÖØ-Þ'’ -]*[AEIOUYÀ-ÖØ-Þ])(?=[A-ZÀ-ÖØ-Þ'’ -]{4})"
                                   r"(?:[A-ZÀ-ÖØ-Þ]{2,}[-'’ ]?){1,3}[A-ZÀ-ÖØ-Þ]+$")


def _is_uncased_script(word: str) -> bool:
    """Chinese, Japanese, Arabic, Hebrew, Thai...: letters with no case, written without spaces."""
    return any(ch.isalpha() and not (ch.isupper() or ch.islower()) for ch in word)


def _proper_case(word: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word.lower())


def agency_name(text: str) -> Optional[str]:
    """The canonical name of the wire agency `text` names exactly, else None."""
    text = text.strip(" .,;:()")
    for pattern, name in _AGENCY_PATTERNS:
        if pattern.match(text):
            return name
    return None


def _key(name: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", name).casefold().removeprefix("the "))


def _unique(names: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for name in names:
        if _key(name) not in seen:
            seen.add(_key(name))
            out.append(name)
    return out




# --- choosing among the page's statements ------------------------------------------------------
# Precedence of byline sources, most trusted first. JSON-LD states Person vs Organization;
# meta tags and feeds hold names only; visible byline elements carry widget text around the name.
SOURCE_PRECEDENCE = ("json-ld", "meta", "feed", "html byline", "page")


def choose_byline(candidates: Iterable, publishers: Iterable[str] = (), site_names: Iterable[str] = (),
                  host: str | None = None, other_roles: Iterable[str] = (), shown_text: str | None = None) -> BylineChoice:
    """The byline the article's authors come from: the first source, in SOURCE_PRECEDENCE order,
    that names at least one person. Organisations (and publishers) it names are kept apart; when
    no source names a person, the first organisation-only byline is kept as `raw`.

    The publisher's own name (a JSON-LD publisher that is not a Person) is never an author. A
    "person" equal to the site name (og:site_name: "Five Books") gives way to another person named
    by a source as trusted; else it is taken: a personal blog's site name is its author's. A one-word
    name is completed from another source, or from a site name that the host spells out ("Brett" on
    brettlarkin.com, site "Brett Larkin Yoga": Brett Larkin). A declared author whom the page credits
    only as editor or photographer (`other_roles`, never in a visible byline) is none. Authors that
    the page's markup declares but its readable text (`shown_text`) never names give way to the
    persons of its first visible byline (the CMS user who posted an expert's article).
    """
    publishers = tuple(p for p in publishers if p)
    # ("Deutsche Welle (www.dw.com)" is the site Deutsche Welle)
    site_keys = {_key(re.sub(r"\.(?:[a-z]{2,3}|com|net|org|info)$", "", re.sub(r"\s*\([^()]*\)$", "", piece.strip()), flags=re.I))
                 for name in site_names if name for piece in re.split(r"\s[|–—-]\s|\|", name)}
    site_keys.discard("")
    ranked = sorted(candidates, key=_rank)
    writers = {_key(p) for c in ranked if c.source == "html byline" for p in _parse_once(c.text, publishers, False).persons}
    not_writing = {_key(name) for name in other_roles} - writers
    fallback = site_choice = None
    declared_organisation = False
    for candidate in ranked:
        if candidate.source == "page" and declared_organisation:
            break       # the outlet declared a wire or desk byline; trafilatura's guess is no better
        if site_choice is not None and _rank(candidate) > _rank(site_choice):
            break       # nobody else in a source as trusted as the one that named the site
        if candidate.typed:
            typed = [_parse_once(c, publishers, True) for c in candidate.persons]
            parsed = ParsedByline(tuple(p for t in typed for p in t.persons),
                                  tuple(agency_name(o) or o for o in candidate.organizations)
                                  + tuple(o for t in typed for o in t.organizations))
        else:
            parsed = _parse_once(candidate.text, publishers, candidate.source != "html byline")
        # A one-word name that is the site's address is its brand, never a person (not even as
        # a personal blog's site name below).
        addresses = tuple(p for p in parsed.persons if _names_the_host(p, host))
        if addresses:
            parsed = ParsedByline(tuple(p for p in parsed.persons if p not in addresses),
                                  parsed.organizations + addresses)
        parsed = ParsedByline(tuple(p for p in parsed.persons if _key(p) not in not_writing), parsed.organizations)
        persons = tuple(p for p in parsed.persons if _key(p) not in site_keys)
        orgs = parsed.organizations + tuple(p for p in parsed.persons if _key(p) in site_keys)
        if persons:
            fuller = _fuller_visible_byline(persons, ranked, publishers) if candidate.source in _DECLARED_SOURCES else None
            if fuller:
                return fuller
            shown = _shown_instead(persons, candidate, ranked, publishers, shown_text)
            if shown:
                return shown
            return BylineChoice(candidate.text, candidate.source,
                                _as_shown(_complete_first_names(persons, ranked, publishers, site_names, host),
                                          ranked, publishers),
                                orgs + _co_credited_agencies(persons, ranked, publishers))
        # A site name with an agency beside it ("Le Monde avec AFP") is an outlet's, not a blogger's.
        if site_choice is None and parsed.persons and not parsed.organizations:
            site_choice = BylineChoice(candidate.text, candidate.source, parsed.persons, parsed.organizations)
        if fallback is None and candidate.text and orgs:
            fallback = BylineChoice(candidate.text, candidate.source, (), orgs)
        declared_organisation = declared_organisation or (candidate.source in _DECLARED_SOURCES and bool(orgs))
    if fallback:
        # No person anywhere: the agencies the declared bylines and the first visible one credit ("Par
        # La rédaction avec AFP") are the story's (later visible ones may be other stories' in a list).
        visible = [c for c in ranked if c.source == "html byline"][:1]
        stating = [c for c in ranked if c.source in _DECLARED_SOURCES] + visible
        fallback = dataclasses.replace(fallback, organizations=tuple(_unique(
            [*fallback.organizations,
             *(a for c in stating for a in map(agency_name, _parse_once(c.text, publishers, False).organizations) if a)])))
    return site_choice or fallback or BylineChoice()


@functools.lru_cache(maxsize=4096)
def _parse_once(raw: str | None, publishers: tuple, allow_single_name: bool) -> ParsedByline:
    # choose_byline and its helpers read the same candidates several times
    return parse_byline(raw, publishers, allow_single_name)


def _rank(candidate) -> int:
    return SOURCE_PRECEDENCE.index(candidate.source) if candidate.source in SOURCE_PRECEDENCE else len(SOURCE_PRECEDENCE)


_NOT_COAUTHORED = re.compile(r"\b(?:with|guest|conversation|interview(?:ed|s)?|featuring|feat\.|talks?\s+to)\b", re.I)
# A site's list of its staff, not a byline: headed "Redaktion", "Our team", or ending in "more…".
_STAFF_LIST = re.compile(r"^\W*(?:redaktion|redaktionen|rédaction|redacción|redazione|redactie|our\s+(?:team|authors|writers)|"
                         r"(?:editorial\s+)?team|unsere\s+autor\w*|staff)\s*[|:]|[|]\s*(?:mehr|more|plus|más|alle|all)\s*(?:\.\.\.|…)?\s*$",
                         re.I)


def _fuller_visible_byline(persons: tuple, candidates: list, publishers: tuple) -> Optional[BylineChoice]:
    """A visible byline that names every declared author and more ("By Oluwaseun Adeyemi and Chinedu
    Okafor, Abeokuta" where the SEO plugin's JSON-LD, which holds one author, declares the first):
    the byline element that carries the declared author is the article's, its other names co-authors."""
    declared = {_key(p) for p in persons}
    for candidate in candidates:
        if candidate.source != "html byline":
            continue
        if _NOT_COAUTHORED.search(candidate.text or "") or _STAFF_LIST.search(candidate.text or ""):
            continue    # "Jane Doe in conversation with Tom Lee": a guest is no co-author
        parsed = _parse_once(candidate.text, publishers, False)
        if declared < {_key(p) for p in parsed.persons} and len(parsed.persons) <= 6:
            return BylineChoice(candidate.text, candidate.source, parsed.persons, parsed.organizations)
    return None


def _shown_instead(persons: tuple, candidate, candidates: list, publishers: tuple,
                   shown_text: str | None) -> Optional[BylineChoice]:
    """The first visible byline's persons, when the page's markup (JSON-LD or meta, not the feed)
    declares authors that its readable text names nowhere and that byline names none of them:
    readers are told who wrote it, the markup says who posted it."""
    if shown_text is None or candidate.source not in ("json-ld", "meta"):
        return None
    # (most declared names are shown as written: the whole page is folded only when one is not)
    if any(" ".join(p.split()).casefold() in shown_text for p in persons):
        return None
    shown_text = _fold_name(shown_text)
    if any(_names_shown(p, shown_text) for p in persons):
        return None
    declared = {_key(p) for p in persons}
    for visible in candidates:
        if visible.source != "html byline" or visible.typed:
            continue
        parsed = _parse_once(visible.text, publishers, False)
        if not parsed.persons:
            continue
        if declared & {_key(p) for p in parsed.persons} or len(parsed.persons) > 6:
            return None
        return BylineChoice(visible.text, visible.source, parsed.persons, parsed.organizations)
    return None


def _as_shown(persons: tuple, candidates: list, publishers: tuple) -> tuple:
    """Each name as a visible byline spells it when that differs only in accents, apostrophes or
    hyphens (markup often drops them: "Sean O Briain" declared, "Seán Ó Briain" shown)."""
    shown = {}
    for candidate in candidates:
        if candidate.source == "html byline" and not candidate.typed:
            for name in _parse_once(candidate.text, publishers, False).persons:
                # (only as written: a name in capitals has lost its own case, "MCGRATH" for "McGrath")
                if name in candidate.text:
                    shown.setdefault(_fold_name(name), name)
        genitive = _GREEK_GENITIVE.match(candidate.text or "") if candidate.source == "html byline" else None
        if genitive:    # markup keeping the genitive of "Του Ανδρέα Γεωργίου": "Ανδρέα Γεωργίου"
            written = parse_byline(candidate.text[genitive.end():], publishers).persons
            for before, after in zip(written, _parse_once(candidate.text, publishers, False).persons):
                shown[_fold_name(before)] = after

    def marks(name: str) -> int:    # (a name in capitals loses its accents: "ΑΛΕΞΙΟΥ" is no better)
        return sum(unicodedata.combining(c) > 0 or c in "'’‘ʼ-‐‑" for c in unicodedata.normalize("NFKD", name))

    def as_shown(name: str) -> str:
        other = shown.get(_fold_name(name), name)
        return other if _fold_name(other) != _fold_name(name) else max((name, other), key=marks)
    return tuple(map(as_shown, persons))


def _names_shown(name: str, shown_text: str) -> bool:
    """Whether the readable text (folded by `_fold_name`) names the person: the full name, or a
    surname as a word ("Juan Pérez" for "Juan Pérez García", "OBrien" for "O’Brien"). Surnames
    shorter than three letters, and names in scripts without case, count as shown."""
    if _is_uncased_script(name):
        return True
    words = _fold_name(name).split()
    surnames = [w for w in (words[1:] or words) if len(w.strip(".")) >= 3]
    return (" ".join(words) in shown_text or not surnames
            or any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", shown_text) for w in surnames))


def _fold_name(text: str) -> str:
    """Casefolded, accents and apostrophes dropped, hyphens as spaces: "José O’Brien-Smith" and
    "Jose OBrien Smith" alike."""
    return fold(re.sub(r"[-‐‑–]", " ", re.sub(r"['’‘ʼ`]", "", text)))


def _names_the_host(name: str, host: str | None) -> bool:
    """Whether a one-word "name" is the site's address, alone or with a short suffix: a brand
    ("Jumpseller" on jumpseller.com, "Kong" on konghq.com, "Any.do" on any.do, "Vanguard" on
    vanguardngr.com), not a person (a blogger "Robyn" on robynbakes.com stays)."""
    if not host or " " in name.strip() or _is_uncased_script(name):
        return False
    key = _key(name)
    labels = host.casefold().removeprefix("www.").split(".")
    return len(key) >= 3 and (key == "".join(labels) or any(
        label.startswith(key) and len(label) - len(key) <= 4 for label in labels[:-1]))


def _co_credited_agencies(persons: tuple, candidates: list, publishers: tuple) -> tuple:
    """Agencies that another byline credits beside the same authors ("Par Thomas Lambert avec Belga"
    on the page, "Thomas Lambert" in its JSON-LD), or that the page declares as its only author
    (JSON-LD, meta or feed "NAN" over a reporter's byline in the text: a wire story)."""
    keys = {_fold_name(p) for p in persons}     # (accents aside: "Sean" and "SEÁN")
    agencies = []
    for candidate in candidates:
        if len(candidate.text or "") > 80:
            continue    # a bio ("Jane Doe, a former correspondent for Reuters, covers…") is no credit
        parsed = _parse_once(candidate.text, publishers, False)
        named = {_fold_name(p) for p in parsed.persons}
        if (keys & named) or (not named and candidate.source in _DECLARED_SOURCES):
            agencies.extend(filter(None, map(agency_name, parsed.organizations)))
    return tuple(agencies)


def _complete_first_names(persons: tuple, candidates: list, publishers: tuple, site_names: Iterable[str] = (),
                          host: str | None = None) -> tuple:
    """A one-word name ("Robyn", from a meta tag) replaced by a fuller one that another source
    gives for the same person ("Robyn Buchanan" in the visible byline), or that the site's name and
    address give together (a personal brand: "Brett Larkin Yoga" on brettlarkin.com). A short form
    ("Jess") takes the one fuller name whose first name it begins from a byline that says it wrote
    ("Written by Jessica Thornbury", not a reviewer's or a subject's link)."""
    if all(" " in p or _is_uncased_script(p) for p in persons):
        return persons      # (a Chinese or Japanese name is whole without a space)
    fuller = [p for c in candidates for p in _parse_once(c.text, publishers, False).persons if " " in p]
    # (a site named after its brand is no person: "luxurious" on "Luxurious Magazine")
    fuller.extend(n for n in (_name_in_site(name, host) for name in site_names) if n and not _ORG_WORD.search(n))
    writers = [p for c in candidates if _PREFIX.match(c.text or "")
               for p in _parse_once(c.text, publishers, False).persons if " " in p]

    def completed(name: str) -> str:
        if " " in name or _is_uncased_script(name):
            return name
        folded = name.casefold()
        same = [f for f in fuller if f.split()[0].casefold() == folded]
        longer = {f for f in writers if len(folded) >= 3 and f.split()[0].casefold().startswith(folded)}
        return same[0] if same else longer.pop() if len(longer) == 1 else name
    return tuple(map(completed, persons))


def _name_in_site(site_name: str, host: str | None) -> Optional[str]:
    """The first two words of a site name when the host's name is exactly those words ("Brett Larkin
    Yoga" on brettlarkin.com): the site is named after a person."""
    words = site_name.split()[:2]
    label = (host or "").removeprefix("www.").split(".")[0].casefold()
    if len(words) < 2 or not label:
        return None
    spelled = re.sub(r"[\W_]", "", "".join(words)).casefold()
    # Exactly those two words: lillieeatsandtells.com ("Lillie Eats (and Tells)") names no person.
    return person_name(" ".join(words)) if spelled and label == spelled else None


# --- the body: wire credits and agencies -------------------------------------------------------
_CREDIT_LINES = 6


def _spelled_before(abbreviation: str, before: str) -> bool:
    """Whether the words before an abbreviation spell it out ("Associated Press (AP)", "Monetary
    Award Program (MAP)"): the text defines the abbreviation there."""
    letters = re.sub(r"\W", "", abbreviation)
    initials = "".join(w[0] for w in re.findall(r"[^\W\d_]+", before or "") if w[0].isupper())
    return len(letters) >= 2 and initials.casefold().endswith(letters.casefold())


def find_body_credit(body: str | None) -> BodyCredit:
    """Reporters credited in the body's closing lines ("X reported from Moscow.", "Reporting by X;
    Editing by Y", "— X, Associated Press") and the wire agency named by a dateline ("MOSCOW (AP) —"),
    a credit or a copyright line ("Copyright 2026 The Associated Press")."""
    lines = [line.strip() for line in (body or "").splitlines() if line.strip()]
    persons, agency = [], None
    for line in lines[:6]:     # the title and a summary's points may come first
        dateline = _DATELINE.match(line)
        if dateline and dateline.group("agency") and _spelled_before(dateline.group("agency"), dateline.group("before")):
            dateline = None     # "the Monetary Award Program (MAP) …": an abbreviation defined, no dateline
        if dateline:
            agency = agency_name(dateline.group("agency") or dateline.group("agency2"))
            names = dateline.group("names") or dateline.group("names2")
            persons.extend(n for n in (person_name(n) for n in re.split(r",\s*|\s+and\s+", names or "")) if n)
            break
        chinese = (_XINHUA_DATELINE.search(line[:60]) or _CNA_DATELINE.search(line[:40])
                   or _CHINESE_AGENCY_DATELINE.match(line))
        if chinese:
            agency = agency_name(chinese.group("agency"))
            if chinese.re is _XINHUA_DATELINE:
                persons.extend(re.split(r"[、 ]", chinese.group("names")))
            elif chinese.re is _CNA_DATELINE:
                rest = chinese.group("rest")
                persons.append(rest[:3] if len(rest) >= 5 else rest[:2])
            break
    for line in lines[-_CREDIT_LINES:]:
        if len(line) > 200:
            continue
        match = (_REPORTED_FROM.match(line) or _REPORTING_BY.match(line) or _DASH_CREDIT.match(line)
                 or _NAME_WITH_AGENCY.match(line) or _NAME_AGENCY_DAY.match(line) or _TRAILER_AUTHOR.match(line))
        if match:
            writers = _WRITING_BY.findall(line) if match.re is _REPORTING_BY else []
            for names in (match.group("names"), *writers):
                parts = re.split(r",\s*and\s+|,\s*|\s+and\s+", names)
                persons.extend(n for n in (person_name(_strip_prefix(n)) for n in parts) if n)
            if "agency" in match.groupdict() and match.group("agency"):
                agency = agency or agency_name(match.group("agency"))
        closing = _TRAILING_AGENCY.search(line) if line in lines[-2:] else None
        agency = agency or agency_credit(line) or (
            agency_name(closing.group("agency") or closing.group("agency2")) if closing else None)
        copyright_line = _COPYRIGHT.search(line)
        if copyright_line and not agency:
            agency = agency_name(copyright_line.group("agency"))
    korean = KOREAN_REPORTER_LINE.match(lines[-1]) if lines else None
    if korean:      # "최윤호 기자 uknow@donga.com", the last line of a Korean story
        persons.extend(n for n in re.split(r"\s*[·,]\s*", korean.group("names")) if not _KOREAN_DESK.search(n))
    return BodyCredit(tuple(_unique(persons)), agency, body_byline(lines[:3] + lines[-_CREDIT_LINES:]))


def credited_otherwise(text: str) -> tuple:
    """Persons a text credits with another job than writing ("Edited By: Priya Singh", "Foto: Ole
    Martin Berg / Fjordposten", "Toimetaja: Karl Kask"): the clauses `parse_byline` drops."""
    text = unicodedata.normalize("NFKC", text)
    return tuple(name for match in _OTHER_CREDIT.finditer(text)
                 for name in parse_byline(match.group(0)[match.end("label") - match.start():]).persons)


def agency_credit(line: str) -> Optional[str]:
    """The agency a line that is only a credit names ("(With inputs from PTI)", "jwe/dpa", "(AAP)",
    "The Associated Press contributed to this report.")."""
    match = _AGENCY_CREDIT_LINE.match(line.strip()) if len(line) < 80 else None
    if match:
        return agency_name(match.group("agency"))
    match = _CONTRIBUTED.match(line.strip()) if len(line) < 200 else None
    return agency_name(match.group("agency") or match.group("agency2")) if match else None


def chinese_credit(text: str) -> tuple | None:
    """The Chinese credit in `text` ("2026-11-25 来源：浙江新闻网 记者 陈思远 通讯员 王丽娟") as
    ("记者 陈思远 通讯员 王丽娟", ("陈思远", "王丽娟")), else None."""
    matches = list(_CHINESE_CREDIT.finditer(text))
    if not matches:
        return None
    names = tuple(name for match in matches for name in re.split(r"[\s、,，]+", match.group("names")))
    return " ".join(" ".join(m.group(0).split()) for m in matches), names


def body_byline(lines: Iterable[str]) -> tuple:
    """Persons of a byline line in the text ("By Jane Doe", "By Bianca Knauf. This guide…", "This is a
    guest post by Annelies, a travel blogger."): the first such line that names a person."""
    lines = list(lines)
    opening = _OPENING_REPORTER.match(lines[0]) if lines else None
    if opening:
        return tuple(re.split(r"[\s、,，]+", opening.group("names")))
    for line in lines:
        credit = chinese_credit(line)
        if credit and credit[0] == " ".join(unicodedata.normalize("NFKC", line).split()):
            return credit[1]    # a line that is only the credit; "记者从…获悉" is a sentence
    closing = _JAPANESE_CLOSING_NAME.search(lines[-1]) if lines else None
    # (not an agency's dateline: "【ワシントン共同】", "【ロンドン時事】")
    if closing and closing.group("bureau_names"):
        return (closing.group("bureau_names"),)
    if closing and not re.search(r"(?:共同|時事|支局|総局|発)$", closing.group("names")):
        return tuple(closing.group("names").split("、"))
    for line in lines:
        if len(line) > 120:
            continue
        guest = _GUEST_POST.match(line)
        match = guest or _BODY_BYLINE.match(line)
        if not match:
            continue
        names = _SENTENCE_END.split(match.group("names"), maxsplit=1)[0]
        if TIME_WORD.match(names):
            continue    # "By Monday Morning, the shops…" is no byline
        persons = parse_byline(names, allow_single_name=bool(guest)).persons
        if persons:
            return persons
    return ()


# Sources in which the outlet states authorship on purpose; a credit line in the body overrides
# them only for a wire story. Visible byline text and trafilatura's pick are weaker.
_DECLARED_SOURCES = ("json-ld", "meta", "feed")


def apply_byline(article: Article) -> Article:
    """The body rules on an extracted article.

    A reporter credited in the body's closing lines wins over the page's byline when that byline
    is only visible text (aggregators put their own name there) or when the story is a wire story
    (the body names an agency); an outlet's declared author (JSON-LD, meta, feed) of its own
    rewrite is kept otherwise. `byline_raw` keeps what the page said. The agency comes from the
    byline's organisations, else the body's dateline, credit or copyright line. An Article that
    carries only `byline_raw` (no source) has its authors parsed from it.
    """
    authors, organizations, source = list(article.authors), list(article.author_organizations), article.byline_source
    if not authors and not source and article.byline_raw:
        parsed = parse_byline(article.byline_raw)
        authors, organizations = list(parsed.persons), organizations + list(parsed.organizations)
    credit = find_body_credit(article.body)
    if credit.byline and {_key(p) for p in credit.byline} != {_key(a) for a in authors}:
        authors, source = list(credit.byline), "body credit"
    agency = next((agency_name(o) for o in organizations if agency_name(o)), None) or credit.agency
    credited_elsewhere = {_key(p) for p in credit.persons} - {_key(a) for a in authors}
    if credited_elsewhere and (source not in _DECLARED_SOURCES or agency or not authors):
        authors, source = list(credit.persons), "body credit"
    organizations = _unique(organizations)
    if agency and _key(agency) not in {_key(o) for o in organizations}:
        organizations.append(agency)
    return dataclasses.replace(article, authors=_unique(authors), author_organizations=organizations,
                               agency=agency, byline_source=source)


STAGE = "byline"
_log = logging.getLogger(__name__)


class _ApplyBylineFn(beam.DoFn):
    def setup(self):
        self._failed = counter("bylines_failed")

    def process(self, article: Article):
        try:
            yield apply_byline(article)
        except Exception as err:  # noqa: BLE001 - a rule that trips on one body must not stop the run
            _log.warning("byline rules failed on %s", article.final_url, exc_info=True)
            self._failed.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                STAGE, "byline_failed", article.url, article.feed_url, f"{type(err).__name__}: {err}"))


class NormaliseBylines(beam.PTransform):
    """Article -> (Article, dead letters): body credits and the wire agency applied to `authors`,
    `author_organizations` and `agency` (`byline_raw` is kept as found)."""

    def expand(self, articles):
        applied = articles | "ApplyBylineRules" >> beam.ParDo(_ApplyBylineFn()).with_outputs(DEAD_LETTERS,
                                                                                              main="articles")
        return applied.articles, applied[DEAD_LETTERS]
