"""Explicit urgent-risk rules. A miss here can cost a life, so recall comes first.

Every rule returns the span of words that triggered it, so a caseworker sees why a message
was flagged. Idioms that only sound dangerous ("this policy is killing our high street",
"I'm dying to see the plans") are removed before matching.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate

from compassion.lens.screen import Screen


@dataclass(frozen=True)
class Flag:
    """An urgent-risk finding: its kind, the words behind it and where they are."""

    kind: str
    evidence: str
    start: int
    end: int


FLAG_KINDS = {
    "self_harm": "Self-harm or suicide",
    "threat_to_life": "Threat to life or health emergency",
    "eviction": "Eviction or homelessness imminent",
    "domestic_abuse": "Domestic abuse",
    "child_at_risk": "A child at risk",
    "no_food_or_heating": "No money for food or heating",
    "deadline": "A court date or deadline within days",
}

LIFE_RISK_KINDS = frozenset({"self_harm", "threat_to_life", "domestic_abuse", "child_at_risk"})

_FAMILY = (
    r"(?:my|our)\s+(?:\w+\s+)?(?:son|daughter|child|children|kids?|baby|babies|toddler|"
    r"boy|girl|grandson|granddaughter|little one|twins|newborn|stepson|stepdaughter)"
)
_PARTNER = (
    r"(?:my|her|his|their)\s+(?:ex[- ]?)?(?:partner|husband|wife|boyfriend|girlfriend|ex|"
    r"fianc[ée]e?|spouse)|\bhe\b|\bshe\b"
)
_DAY = (
    r"(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week|weekend|friday|"
    r"monday|tuesday|wednesday|thursday|saturday|sunday)|next (?:week|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|(?<!last )(?:on |by |this |next )?(?:monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)|in (?:\d|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|a few|a couple of) days|within (?:\d+|a few|a couple of) days|"
    r"(?:on |by )?the \d{1,2}(?:st|nd|rd|th)(?! (?:time|floor|year|child|attempt)\b)|"
    r"(?:on |by )\d{1,2}(?:st|nd|rd|th)?\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|(?:on |by )\d{1,2}/\d{1,2})"
)
# Places a person is put out of that are not their home ("kicked out of the football team").
_NOT_A_HOME = (
    r"(?:the |my |his |her |our |their |a )?(?:[\w-]+ ){0,2}(?:school|college|uni|university|"
    r"class|lessons?|team|club|pub|bar|shop|store|game|match|meeting|party|band|gym|group|"
    r"course|job|work)\b"
)

_IDIOMS_PATTERN = (
    r"\b(?:killing|kills|killed|kill)\s+(?:off\s+)?(?:the|our|my|this|local|small|high)\s+"
    r"(?:high street|town|city|business|businesses|economy|industry|community|shops?|"
    r"village|trade|jobs|hopes|chances|buzz|mood|vibe)|"
    r"\b(?:this|it|that|they|you|the \w+) (?:is|are|was|were) killing me\b|"
    r"\bkilling it\b|\bkill for an?\b|\bdying for (?:a|an)\b|\bdying to (?:see|know|hear|get|"
    r"meet|try|tell|read|visit|go|come|talk|speak|find|show|share)\b|"
    r"\bto die for\b|\bdead (?:end|cert|heat|loss|easy|wood|line)\b|\bover my dead body\b|"
    r"\bsuicide (?:prevention|rates?|statistics|figures|awareness|squad|mission|doors?)\b|"
    r"\b(?:fire|ambulance) (?:station|service|brigade|cover|response times?|crews?)\b|"
    r"\bfire ?works?\b|\bfire (?:safety|alarm test|drill)\b|"
    r"\bassisted dying\b|\bdying (?:bill|matters|wish)\b|\bstarving (?:the|our|us|them) \w+ of\b|"
    r"\bdomestic (?:abuse|violence) (?:awareness|services|charity|charities|strategy|funding|"
    r"bill|act|coffee)\b|\b(?:people|rough sleepers|those|men|women) sleeping rough\b|"
    r"\bhomeless(?:ness)? (?:strategy|figures|numbers|charity|charities|services|policy|"
    r"crisis in|problem in|people in|hostels? in)\b|\brough sleepers in\b|"
    r"\b(?:nearly|almost|practically) (?:had|have|having) (?:a )?(?:heart attack|stroke|fit)\b|"
    r"\b(?:had|has had) (?:a )?(?:stroke|heart attack) (?:\w+ ){0,2}"
    r"(?:years? ago|in (?:19|20)\d\d|in (?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)|last (?:year|month|spring|summer|autumn|winter))\b|"
    r"\bfit notes?\b|\bknife (?:amnesty|crime)\b|"
    r"\b(?:town|town centre|city centre|city|high street|river|village|pub|industry|trade|"
    r"community|countryside)(?: \w+)? (?:is|are) dying\b|"
    r"\b(?:i'm|i am|he's|he is|she's|she is) not suicidal\b|\bsurvivors? of domestic\b|"
    r"\bambulance (?:handovers?|handover delays|delays|waits|waiting times)\b|"
    r"\b(?:company|agency|business|firm|deal|talks|bank|scheme|market) (?:has |had )?collapsed\b|"
    r"\bdying (?:to|for) the\b|\bbleeding (?:\w+ ){0,3}dry\b|"
    r"\brefuge (?:places|spaces|beds|funding|provision)\b|"
    # A call, a path or a village cut off, not a home's gas or electricity.
    r"\b(?:call|line|phone)\b[^.!?]{0,30}\b(?:cut off|disconnected)\b|"
    r"\b(?:cut off|disconnected)\b[^.!?]{0,40}\b(?:on hold|the call|the line|the phone|"
    r"mid[- ]call|halfway through)\b|"
    r"\bcut off (?:the|a|an|our|my) (?:footpath|path|road|lane|route|access|junction|corner|"
    r"bus route|view|conversation)\b|"
    r"\bcut off from (?:the|our|my) (?:town|village|city|world|community|family|friends|"
    r"services|rest)\b"
)

_RULES: dict[str, str] = {
    "self_harm": (
        r"\bsuicid\w*|\bkill(?:ing)? (?:myself|himself|herself|themselves|themself)\b|"
        r"\b(?:end|ending|take|taking) (?:my|his|her|their) (?:own )?life\b|"
        r"\bend(?:ing)? it all\b|\bself[- ]?harm\w*|\b(?:cutting|hurting|harming) "
        r"(?:myself|himself|herself)\b|\bhurt (?:myself|himself|herself)\b|"
        r"\boverdos\w*|\btook (?:all )?(?:my|his|her) (?:pills|tablets)\b|"
        r"\b(?:don't|do not|dont) want to (?:be here|live|wake up|go on)\b|"
        r"\bno (?:reason|point) (?:in |to )?(?:living|live|going on|being here|carrying on)\b|"
        r"\b(?:better off|be better) (?:dead|without me)\b|\bwant(?:s|ed)? to die\b|"
        r"\bcan(?:'t|not|t) (?:go on|carry on|take (?:it|this) any ?more)\b|"
        r"\bnot (?:be|being) here (?:any ?more|much longer)\b|\bgoodbye note\b|"
        r"\bjump(?:ing)? (?:off|in front)\b|"
        r"\bnot sure (?:i|we|she|he) can (?:go on|carry on)\b|"
        r"\bwish i (?:was|were) dead\b|\bno longer want to live\b|"
        r"\b(?:do|did|doing) something (?:stupid )?to (?:myself|himself|herself)\b|"
        r"\bwhat (?:i|he|she) might do\b|\bstockpil\w+|\bend(?:ing)? (?:everything|things|"
        r"my suffering)\b|\b(?:disappear|disappeared|be gone|gone) for good\b|"
        r"\bwants? (?:it|this|everything) (?:all )?to (?:stop|end)\b|"
        r"\b(?:hang|hanged|hanging) (?:myself|himself|herself|themselves)\b|\btried to hang\b|"
        r"\bcan(?:'t|not|t) see (?:a|any) (?:future|way out|point)\b|\bno way out\b|"
        r"\bin case (?:i'm|i am|i'm) not (?:around|here)\b|\b(?:happier|easier) without me\b|"
        r"\btired of (?:living|life|being alive)\b|\bgive up on life\b|"
        r"\bthoughts? (?:of|about) (?:killing|harming|hurting|ending) (?:myself|himself|herself|"
        r"my life|it)\b|\b(?:ways|how) to (?:die|kill (?:myself|himself|herself)|end it)\b|"
        r"\b(?:take|taking|took|swallow\w*) all (?:of )?(?:my|his|her|the) (?:tablets|pills|"
        r"medication)\b|\b(?:saving|collecting|hoarding) (?:up )?(?:my |his |her )?(?:sleeping )?"
        r"(?:pills|tablets|paracetamol)\b|\bcutting (?:my|his|her) (?:arms|wrists|legs)\b|"
        r"\b(?:life|it) (?:isn't|is not|isnt|is no longer) worth living\b|"
        r"\b(?:don't|do not|doesn't|does not|can't|cannot) see (?:the|any) (?:point|reason) "
        r"(?:of |in |to )?(?:carrying on|going on|living|keep living|waking up)\b|"
        r"\bpoint of waking up\b|\b(?:easier|better) not to wake up\b|"
        r"\b(?:i'll|i will|i'm going to|going to|talking about|talks about|thinking about|"
        r"thought about) end(?:ing)? it\b|\b(?:thinking|thought|think) (?:about|of) (?:jumping|"
        r"dying|driving into|walking into|throwing myself)\b|\bplanning how (?:i|he|she) would\b|"
        r"\bnot going to be a burden\b|\btalked (?:me|him|her) down\b|"
        r"\bgiv(?:ing|en|e) (?:all )?(?:my|his|her) things away\b|\bgave away (?:his|her|my)\b|"
        r"\bsort(?:ed|ing) (?:out )?my affairs\b|\b(?:frightened|scared) of myself\b"
    ),
    "threat_to_life": (
        r"\bthreat(?:en|ened|ening|s)? to (?:kill|stab|shoot|burn|hurt)\w*|"
        r"\b(?:going to|gonna|will|would|'ll|'d) (?:kill|stab|shoot) (?:me|us|my|him|her|them)\b|"
        r"\bdeath threats?\b|\bthreat to (?:my |his |her |our )?life\b|\blife[- ]threatening\b|"
        r"\bchest pains?\b|\bcan(?:'t|not|t) breathe?\b|\bstruggling to breathe\b|"
        r"\bnot breathing\b|\bstopped breathing\b|"
        r"\b(?:had|having|has|keeps having) (?:a )?(?:stroke|heart attack|"
        r"seizures?|fits?)\b|\bcollapsed\b|\bunconscious\b|\bunresponsive\b|"
        r"\bcall(?:ed)? (?:an? |for an )?ambulance\b|\bambulance\b|\b999\b|"
        r"\bbleeding (?:heavily|badly|a lot)\b|\bstabbed\b|\bshot at\b|\bwith a (?:knife|gun|"
        r"machete|weapon)\b|\b(?:a|his|her) (?:knife|gun)\b|\bcarbon monoxide\b|"
        r"\bgas leak\b|\bsmell (?:of )?gas\b|\b(?:house|flat|home|building) (?:is |was )?on fire\b|"
        r"\bthere(?:'s| is) a fire\b|\brun out of (?:insulin|oxygen|(?:his|her|my) medication)\b|"
        r"\bno (?:insulin|oxygen)\b|\bdying\b|\bsepsis\b|\banaphyla\w*|\bmissing person\b|"
        r"\b(?:has|have) gone missing\b|\bdangerous (?:damp|mould|building|wiring)\b|"
        r"\bexposed wires?\b|\bfumes\b|\bset (?:fire|light) to\b|\blying on the floor\b|"
        r"\bmachete\b|\b(?:no|run out of|ran out of|without) (?:insulin|oxygen|inhaler)\b|"
        r"\bcan(?:'t|not) get up\b|\bpassed out\b|\bnot waking up\b|"
        r"\bceiling (?:has )?(?:collapsed|caving|falling)\b|\bceiling (?:is )?bulging\b|"
        r"\bplaster (?:has )?(?:fallen|falling|came down)\b|\b(?:caught|catches|catching) fire\b|"
        r"\b(?:electrics|wiring|socket|fuse ?box|plug)\b[^.!?]{0,30}\b(?:smok\w+|spark\w*)\b|"
        r"\bburning smell\b|\bsmell of burning\b|\bburn (?:the|our|my) (?:house|flat|home) down\b|"
        r"\bfinish (?:me|him|her|us) off\b|\b(?:is|he's|you're|you are) a dead man\b|"
        r"\b(?:shortage|out|run out|ran out|none left|without) of (?:his |her |my |their |the )?"
        r"(?:insulin|oxygen|epipens?|inhalers?)\b|\bpump supplies\b|"
        r"\b(?:is|was|started|keeps|still|been|and) bleeding\b|\bcould(?:n't|nt| not) breathe\b|"
        r"\b(?:he|she|they) (?:has|have|may have|might have) (?:fallen|collapsed)\b|"
        r"\b(?:no|without) food or water\b|\bfound wandering\b|\bwander(?:ed|s) out of\b|"
        r"\bstopped eating\b|"
        r"\b(?:he|she|they|i|you) (?:could|might|will|is going to) die\b|"
        r"\b(?:delay|waiting)\b[^.!?]{0,20}\b(?:is|could be) (?:dangerous|life[- ]threatening|"
        r"fatal)\b|\b(?:dangerously|severely) underweight\b|\bweighs under\b|"
        r"\b(?:smoke|fire) alarms? (?:don't|do not|doesn't|does not|not) work\w*"
    ),
    "eviction": (
        r"\bevict\w*|\bbailiffs? (?:are |is )?(?:coming|comes?|due|booked|arriving|"
        r"will (?:come|be)|"
        r"(?:are |is )?(?:changing|going to change) the locks)\b|\bsection (?:21|8)\b|"
        r"\bnotice to quit\b|"
        r"\bpossession (?:order|hearing|claim|notice|proceedings)\b|\bfacing homelessness\b|"
        r"\bintentionally homeless\b|\btold (?:to|we have to|i have to) (?:get out|leave)\b|"
        r"\brepossess\w*|"
        r"\b(?:will be|are|am|be|being|become|becoming|going to be|now|made|left|facing being|"
        r"facing) homeless\b|\bhomeless (?:tonight|tomorrow|next week|on|by|from|with)\b|"
        r"\bsleeping (?:rough|on the streets?)\b|\bon the streets?\b|\bstreet homeless\b|"
        r"\b(?:living|sleeping|slept|staying) in (?:my|his|her|their|our|the|a) (?:car|van|tent)\b|"
        r"\bwhere (?:can|do|will|could) (?:i|we|she|he|they) (?:go|sleep|stay) tonight\b|"
        r"\b(?:somewhere|anywhere) (?:i|we|she|he|they) can sleep tonight\b|"
        r"\b(?:changed|changing) the locks\b|\bforce (?:us|me|them|her|him) out\b|"
        r"\b(?:asked|told) (?:us|me) to leave\b|\bbailiffs?\b[^.!?]{0,25}\bcoming back\b|"
        r"\b(?:emergency|temporary) (?:housing|accommodation|placement)\b[^.!?]{0,30}"
        r"\b(?:ends|ending|runs out)\b|"
        r"\bnowhere (?:to|else to) (?:go|sleep|stay|live)\b|\bno(?:where| place) to live\b|"
        r"\b(?:kicked|thrown|chucked) out (?:of|onto|on|by)\b(?! " + _NOT_A_HOME + r")|"
        r"\bput out (?:of|onto|on)\b(?! " + _NOT_A_HOME + r")|\bsofa[- ]surf\w*|"
        r"\b(?:kicked|threw|chucked) (?:me|us|him|her) out\b|"
        r"\b(?:lose|losing) (?:our|my|the) (?:home|house|flat|tenancy)\b|"
        r"\bhave to (?:leave|move out|get out) (?:by|before|on|next|this|in|tomorrow|today)\b"
    ),
    "domestic_abuse": (
        r"\bdomestic (?:abuse|violence)\b|\babusive (?:partner|husband|wife|relationship|"
        r"boyfriend|girlfriend|ex|marriage)\b|\bcoercive\b|\bcontrolling (?:partner|husband|"
        r"wife|boyfriend|behaviour)\b|\bnon[- ]molestation\b|\b(?:women's )?refuge\b|"
        r"\bfleeing (?:my|an|a|from)\b|\b(?:pushed|shoved|slapped|grabbed|kicked|bit) me\b(?! out)|"
        r"\bthrew (?:\w+ ){0,4}at me\b|\bbroke my (?:arm|nose|ribs?|jaw|wrist|fingers?|leg)\b|"
        r"\blocks? me (?:in|out)\b|\b(?:takes|took|controls|keeps) (?:all )?my (?:money|"
        r"benefits|bank cards?|cards|phone|passport)\b|\bcontrols? everything\b|"
        r"\b(?:will|would|'ll|going to) hurt me\b|"
        r"\b(?:ex|partner|husband|wife|boyfriend|girlfriend|"
        r"son-in-law|daughter-in-law)\b[^.!?]{0,60}\b(?:threatened|hit|hits|beat|beats|punched|"
        r"kicked|strangled|choked|attacked|assaulted|raped) (?:me|us|my|her|him)\b|"
        r"\b(?:" + _PARTNER + r")\s+(?:\w+\s+)?(?:hits?|hit|beats?|"
        r"beat|punche[sd]|punch|kick(?:s|ed)?|strangle[sd]?|chok(?:es|ed|ing)|attack(?:s|ed)|"
        r"assault(?:s|ed)|abuse[sd]?|raped|threaten(?:s|ed)) (?:me|us|the kids|the children|"
        r"my)\b|\b(?:scared|afraid|frightened|terrified) (?:of|to go home to) (?:"
        + _PARTNER
        + r")\b|\bhe (?:won't|will not) let me (?:leave|out|see)\b|\bbeaten (?:up )?by\b|"
        r"\b(?:he|she|husband|wife|partner|boyfriend|girlfriend|ex|son|daughter|grandson|"
        r"granddaughter|son-in-law|brother|stepdad|stepfather)\b[^.!?]{0,40}\b(?:hitting|beating|"
        r"punching|kicking|strangling|choking|raping|threatens|threatening|pushes|shoves) "
        r"(?:me|her|him|us)\b|\bput (?:me|her|him) in hospital\b|"
        r"\b(?:choked|strangled|pinned|punched|headbutted|dragged|raped) me\b|"
        r"\brap(?:e|ed|ing) (?:me|her)\b|\b(?:tracks|tracking|monitors|checks|reads|goes through) "
        r"(?:my|her) (?:phone|car|messages|emails|location)\b|"
        r"\b(?:won't|will not|doesn't|does not) let (?:me|her) (?:leave|go out|out|see)\b|"
        r"\b(?:takes|took|controls|keeps) (?:all )?(?:her|our|their) (?:money|benefits|bank cards?|"
        r"phone|passport)\b|\b(?:takes|took) (?:all )?my pension\b|\bfled (?:my|an|from)\b"
    ),
    "child_at_risk": (
        r"\bchild protection\b|\bsafeguarding\b|\bchild (?:abuse|neglect|sexual|exploitation)\b|"
        r"\bgroom(?:ed|ing)\b|\bat risk of (?:harm|exploitation|abuse)\b|"
        r"\b(?:children|kids|child|baby|toddler) (?:left )?(?:home )?alone\b|"
        r"\b(?:children|kids|child|baby|babies|toddlers?|boy|girl|son|daughter|little one)\b"
        r"[^.!?]{0,40}\b(?:(?:left|leave|leaves|leaving) (?:home )?(?:alone|on (?:his|her|their) "
        r"own)|not (?:being )?fed|(?:asking|begging) for food)\b|"
        r"\b(?:leave|leaves|leaving) (?:their|the|her|his) (?:\w+ )?(?:children|kids|toddlers?|"
        r"babies|baby) (?:home )?(?:alone|on their own)\b|"
        r"\b(?:haven't|have not|not) seen (?:an|any) adults?\b|\bno adults? (?:for|there|in)\b|"
        r"\b(?:son|daughter|boy|girl|child|kid|grandson|granddaughter|toddler|baby|nephew|niece)"
        r"\b[^.!?]{0,60}\b(?:bruises|marks|burns) on\b|"
        r"\b(?:girls?|boys?|daughter|son|granddaughter|grandson|\d{1,2}[- ]year[- ]olds?)\b"
        r"[^.!?]{0,80}\b(?:older men|men in their (?:twenties|thirties|forties)|a man online|"
        r"an older man)\b|\bgiving drugs to (?:young|kids|children|girls|boys)\b|"
        r"\b(?:asking|asks|asked) (?:her|him) (?:for|to send) (?:photos|pictures|nudes)\b|"
        r"\b(?:asks|asked|asking|told) (?:her|him) to keep it (?:a )?secret\b|"
        r"\b(?:been|was|is|keeps) touching (?:her|him|my)\b|\bdisclosed (?:abuse|that)\b|"
        r"\bconvictions? for\b[^.!?]{0,30}\bchild\w*|\b(?:keeps|kept) going missing\b|"
        r"\b(?:being used|made|forced|groomed) to (?:sell|carry|run|deal) drugs\b|"
        r"\bleft (?:home )?alone (?:overnight|all night|for (?:days|the night|the weekend))\b|"
        r"\b(?:is|are|was|were) (?:not|never) (?:being )?fed\b|"
        r"\b(?:" + _FAMILY + r")\s+(?:\w+\s+){0,3}(?:is|was|has been|are|were|keeps)\s+"
        r"(?:\w+\s+)?(?:self[- ]harming|suicidal|missing|abused|hurt|beaten|assaulted|"
        r"threatened|groomed|exploited|in danger|not safe|unsafe|wheezing|ill from|"
        r"hospitalised|in hospital|starving|going hungry|running away|neglected)\b|"
        r"\brecruit\w* (?:kids|children|young people|teenagers|boys|girls)\b|"
        r"\b(?:messag\w+|contacted|approached|followed) by (?:older|adult|grown|strange) "
        r"(?:men|man|women|woman|people)\b|\bonline grooming\b|"
        r"\b(?:son|daughter|child|boy|girl|baby|toddler|kids?|grandson|granddaughter)\b"
        r"[^.!?]{0,40}\bstopped eating\b|"
        r"\bbaby (?:crying|screaming) (?:for hours|all night|constantly|every night)\b|"
        r"\b(?:son|daughter|child|boy|girl|kids|grandson|granddaughter)\b[^.!?]{0,30}\b(?:beaten "
        r"up|stabbed|attacked|threatened|assaulted)\b|\b(?:living|lives|staying) with (?:drug "
        r"users|an abuser|a paedophile|a sex offender)\b|\bgone missing from\b|"
        r"\b\d{1,2}[- ]year[- ]old\b[^.!?]{0,30}\b(?:self[- ]harm|suicid|missing|groomed|"
        r"abused|neglected)\w*|"
        r"\bno (?:milk|formula|nappies) for (?:the |my |our )?(?:baby|babies|kids|children)\b|"
        r"\b(?:baby|toddler|child|son|daughter)\b[^.!?]{0,40}\b(?:mould|damp)\b[^.!?]{0,40}"
        r"\b(?:breath|asthma|chest|lungs|hospital|wheez)\w*|"
        r"\b(?:knife|county lines|gang)\b[^.!?]{0,40}\b(?:my|our) (?:son|daughter|boy|girl)\b"
    ),
    "no_food_or_heating": (
        r"\b(?:use|using|used|rely on|relying on|went to|go to|going to|referred to|"
        r"referral to|voucher for|vouchers? from|open|opens) (?:the |a )?food ?banks?\b|"
        r"\bfood ?bank (?:vouchers?|referral|parcel)\b|\bsleep in (?:our|their|my) coats\b|"
        r"\b(?:appointment|queue|queuing) (?:at|for) (?:the |a )food ?bank\b|"
        r"\bemergency credit\b|\bso the meter lasts\b|"
        r"\bno money (?:for|to buy|to pay for|to top up) (?:the )?(?:food|gas|electric\w*|"
        r"heating|meter|nappies|milk|formula)\b|\bcan(?:'t|not|t) (?:buy|get) (?:any )?food\b|"
        r"\bcan(?:'t|not|t) (?:put|turn) (?:the |our |my )?heating on\b|"
        r"\bcan(?:'t|not|t) heat (?:my|our|the) (?:home|house|flat)\b|"
        r"\bheating (?:has been |is |was )?(?:broken|not working)\b|"
        r"\bno (?:food|money for food|heating|gas|electric|electricity)"
        r"\b|\bnothing (?:left )?to eat\b|\bcan(?:'t|not|t) afford (?:to (?:eat|heat|feed|buy "
        r"food|put the heating on|top up)|food|heating|gas|electric|the gas|the electric|"
        r"nappies|formula|groceries)\b|\b(?:haven't|have not|havent|not) eaten\b|"
        r"\bskip(?:ping|ped)? meals\b|\bgo(?:ing|ne)? (?:without food|hungry|without meals)\b|"
        r"\b(?:meter|prepayment|electric|gas|power)\b[^.!?]{0,30}\b(?:run out|ran out|empty|"
        r"no credit|cut off|disconnected)\b|\b(?:cut off|disconnected|self[- ]disconnect\w*)\b|"
        r"\b(?:sit|sitting|living) in the (?:cold|dark)\b|\bcold (?:house|flat|home) with\b|"
        r"\bchoose between (?:eating|food|heating)\b|\bheat or eat\b|\bstarving\b|\bhungry\b|"
        r"\bnothing (?:left )?in the (?:fridge|cupboards?)\b|\b(?:empty|bare) (?:fridge|"
        r"cupboards)\b|\b(?:fridge|cupboards?) (?:is|are) (?:empty|bare)\b|"
        r"\b(?:i|we)(?: have|[’']ve| have got|[’']ve got| had| only have) (?:only |just )?"
        r"£ ?\d{1,2}(?:\.\d\d)? (?:left(?! (?:on|of|to pay|owing|outstanding))|to "
        r"(?:last|live on|feed))\b"
    ),
}

_DEADLINE_CUE_PATTERN = (
    r"\b(?:court|hearing(?! from)|tribunal|deadline|interview|assessment|bailiffs?|appeal|judge|"
    r"magistrates|possession|"
    r"eviction date|must (?:leave|vacate|move out|pay)|have to (?:leave|vacate|move out|pay)|"
    r"due date|final (?:notice|demand|date)|mandatory reconsideration|sanction(?:ed)? from|"
    r"cut off (?:on|by|from)|(?:rent|bill|payment) (?:is )?due|(?:leave|visa|permit) expires|"
    r"(?:deportation|removal) flight)\b"
)
_DEADLINE_WHEN_PATTERN = r"\b" + _DAY + r"\b"
_DEADLINE_WINDOW = 80
# A cue and its day must share a sentence ("...and bailiffs). The council rang and said
# someone will come next week" names no deadline), except where the next sentence goes on
# to name it ("court date. its the 14th").
_SENTENCE_END = r"[.!?](?=\s)|\n"
_GOES_ON = r"\s*(?:it's|its|it is|that's|that is|which is)\b"


class _Patterns:
    """The rules compiled twice: case-sensitive for lower-cased text (about three times
    faster), and case-insensitive for the rare text whose lower-casing changes its length.
    """

    def __init__(self, flags: int) -> None:
        self.idioms = re.compile(_IDIOMS_PATTERN, flags)
        self.rules = {kind: re.compile(pattern, flags) for kind, pattern in _RULES.items()}
        self.deadline_cue = re.compile(_DEADLINE_CUE_PATTERN, flags)
        self.deadline_when = re.compile(_DEADLINE_WHEN_PATTERN, flags)
        self.sentence_end = re.compile(_SENTENCE_END, flags)
        self.goes_on = re.compile(_GOES_ON, flags)


_LOWER = _Patterns(0)
_ANY_CASE = _Patterns(re.IGNORECASE)


def _blank(match: re.Match) -> str:
    return " " * len(match.group())


def _mask_idioms(text: str, patterns: _Patterns) -> str:
    """Blank out idioms with spaces so offsets still point into the original text."""
    return patterns.idioms.sub(_blank, text)


def _sentence_window(masked: str, cue: re.Match, patterns: _Patterns) -> tuple[int, int]:
    """Where to look for the day of a deadline cue: a few words either side of it, within its
    sentence, or on into the next one where that goes on to name the day."""
    start = max(0, cue.start() - _DEADLINE_WINDOW)
    end = min(len(masked), cue.end() + _DEADLINE_WINDOW)
    for boundary in patterns.sentence_end.finditer(masked, start, cue.start()):
        start = boundary.end()
    after = cue.end()
    while boundary := patterns.sentence_end.search(masked, after, end):
        if not patterns.goes_on.match(masked, boundary.end()):
            return start, boundary.start()
        after = boundary.end()
    return start, end


def _deadline_flags(masked: str, text: str, patterns: _Patterns) -> list[Flag]:
    """A deadline cue (court, hearing, must leave...) with a day within a few words of it."""
    for cue in patterns.deadline_cue.finditer(masked):
        window_start, window_end = _sentence_window(masked, cue, patterns)
        closest = None
        for when in patterns.deadline_when.finditer(masked, window_start, window_end):
            distance = abs(when.start() - cue.start())
            if closest is None or distance < closest[0]:
                closest = (distance, when)
        if closest:
            when = closest[1]
            start, end = min(cue.start(), when.start()), max(cue.end(), when.end())
            return [Flag("deadline", text[start:end], start, end)]
    return []


# Words in which writers say plainly what they feel. The emotion model learned from Reddit
# comments, where these are rare: it reads "I cannot cope any more." as anger, and a letter
# that says "I am furious" among the facts of its case as neutral. Written for lower-cased
# text. A note of a call says the same in the third person ("she is frightened"), so the
# one who feels may be he, she or they as well as I or we.
# First, words of being overwhelmed, afraid or desperate.
_APOSTROPHE = "[’']"
_FEELER_IS = (
    rf"(?:i{_APOSTROPHE}?m|i am|we{_APOSTROPHE}re|we are|i feel|we feel|"
    rf"(?:i|we){_APOSTROPHE}ve been|(?:i|we) have been|feeling|"
    rf"(?:he|she){_APOSTROPHE}?s|(?:he|she) is|they{_APOSTROPHE}re|they are|"
    rf"(?:he|she) feels|they feel|(?:he|she) has been|they{_APOSTROPHE}ve been|they have been)"
)
_FEELER_HAS = rf"(?:(?:i|we|they)(?: have|{_APOSTROPHE}ve)|(?:he|she) has)"
_DISTRESS_WORDS = [
    rf"\b(?:i|we|he|she|they) (?:can(?:not|{_APOSTROPHE}?t)|could(?:n{_APOSTROPHE}?t| not)) "
    r"(?:cope|go on|carry on|keep going|take (?:it|this|much|any)\b)",
    rf"\b(?:i|we) (?:just |really |honestly |simply )?(?:don{_APOSTROPHE}?t|do not) know "
    rf"(?:what (?:else )?(?:to do|(?:i|we)(?:{_APOSTROPHE}ll| will| am going to) do)|"
    r"how (?:much longer|to cope|to carry on|to keep going))"
    r"(?=\s*(?:any ?more|now|next)?\s*(?:[.!?,;:]|$))",
    rf"\b(?:at (?:the end of my tether|my wits{_APOSTROPHE}? end|breaking point|rock bottom)|"
    r"beside myself|worried sick|sick with worry|out of my mind with worry|falling apart)\b",
    r"\bstruggling to (?:cope|get by|survive|keep going|keep our heads above water|"
    r"keep my head above water)\b",
    rf"\b{_FEELER_IS} "
    r"(?:so |really |very |absolutely |completely |totally |just |utterly |extremely )*"
    r"(?:desperate|overwhelmed|terrified|frightened|scared|petrified|helpless|hopeless|"
    r"in despair|at a loss|broken|exhausted|drowning|anxious|panicking|devastated|"
    r"heartbroken|distraught|alone)\b",
    rf"\b{_FEELER_HAS} (?:nowhere|no ?one|nobody) (?:else )?to (?:go|turn)\b",
    rf"\b{_FEELER_HAS} nothing left\b",
    rf"\b(?:(?:i|we|they)(?: keep| have been|{_APOSTROPHE}ve been| are|{_APOSTROPHE}re)|"
    rf"i(?: am|{_APOSTROPHE}m)|(?:he|she)(?: keeps| has been|{_APOSTROPHE}s been| is)) "
    r"(?:crying|in tears)\b",
    rf"\b(?:lying|lie|lay) awake\b|\bcan(?:not|{_APOSTROPHE}?t) sleep\b",
]
# Then words of anger.
_ANGER_WORDS = [
    rf"\b{_FEELER_IS} "
    r"(?:so |really |very |absolutely |completely |totally |just |utterly |extremely |"
    r"frankly |beyond )*(?:furious|fuming|livid|disgusted|outraged|appalled|incensed|angry|"
    r"enraged|seething|fed up|sick (?:and tired |to death )?of)\b",
    r"\b(?:this|it|that) is (?:an? )?(?:absolute |complete |utter |total |bloody |frankly |"
    r"simply )*(?:disgrace|disgraceful|scandal|scandalous|outrage|outrageous|shambles|"
    r"disgusting|appalling|unacceptable|ridiculous)\b",
    r"\bhow dare\b",
]

# Words in which writers ask the office for help. The request model learned from crisis
# text messages and misses a letter's plain "Can you help?". Lobbying ("will you vote",
# "please support the bill", "will you write to the minister") is not an ask for help, so
# the verbs are those of casework: help, look into, chase, intervene, advise.
_CASEWORK_VERBS = (
    r"(?:help|assist|look into|find out|intervene|advise|chase|investigate|step in|"
    r"get involved|do anything|do something|take (?:this|it|my case|our case|the matter) up|"
    r"contact (?:the|my|our|them|him|her|me|us))\b"
)
_ASKS_WORDS = [
    r"\b(?:can|could|would|will) (?:you|your (?:office|team)|someone|anyone) "
    r"(?:please |kindly |possibly |perhaps |urgently |at all )?(?:be able to )?" + _CASEWORK_VERBS,
    r"\bif (?:you|your office|your team) (?:can|could|would|are able to|were able to) "
    r"(?:please )?" + _CASEWORK_VERBS,
    r"\bplease (?:can you |could you |would you )?(?:urgently )?" + _CASEWORK_VERBS,
    rf"\b(?:i|we)(?:{_APOSTROPHE}m|{_APOSTROPHE}re| am| are)? (?:really |urgently |"
    r"desperately |badly |now |just )?(?:need|want|would like|asking for|ask for|request|"
    r"would appreciate|seek|seeking) (?:your |some |any |urgent |the )?(?:help|assistance|"
    r"advice|intervention)\b",
    rf"\b(?:i|we)(?: would|{_APOSTROPHE}d) be (?:very |most |so |extremely |really |truly )?"
    r"grateful (?:for (?:your|any) (?:help|assistance|advice|intervention)|"
    r"if you (?:could|would|can) (?:please )?" + _CASEWORK_VERBS + ")",
    r"\bis there (?:anything|any way) (?:you|your office|that you|you or your (?:office|team)) "
    r"(?:can|could|might be able to) do\b",
    r"\bany (?:help|advice) (?:you can|you could|would be)\b",
    r"\bwhat (?:can|should|do|shall) (?:i|we) do(?= *(?:now|next|about|\?|[.!]|$))",
    r"\bany chance (?:you|your office|your team|someone) (?:can|could)\b",
    r"\b(?:asked|asks|wants|would like) (?:us|the office|the mp|the councillor|you) to "
    + _CASEWORK_VERBS,
    r"\bon (?:my|our|his|her|their) behalf\b",
    r"\b(?:help|advice) (?:please|needed|pls|plz)\b",
]

# Courtesy that says nothing of how the writer feels: thanks given before any help, praise
# that opens a letter, "I hope you are well". The emotion models learned "thank you" as
# joy, and read a polite letter about an eviction as positive, so the sentences that hold
# these are set aside before they read it (`RuleReading.plain`).
_THANKS = r"\bthanks?(?: you)?(?: (?:so|very))?(?: much)? "
_COURTESY_WORDS = [
    _THANKS + r"in advance\b",
    _THANKS + r"for any (?:help|support|assistance|advice)\b",
    _THANKS + r"for your (?:time|consideration|attention)\b",
    _THANKS + r"for (?:reading|listening|taking the time)\b",
    r"\bthank you again\b(?! for\b)",
    _THANKS + r"for (?:looking into|considering) (?:this|my|our)\b",
    r"\bthank you for (?:all )?(?:the (?:hard )?work )?(?:that )?you (?:do|are doing) for\b",
    rf"\bi hope (?:you are|you{_APOSTROPHE}re|this (?:email|letter|message|note) finds you) "
    r"(?:well|keeping well)\b",
    r"\bi look forward to (?:hearing from you|your reply)\b",
]
# A message that is only courtesy is read whole.
_WORDS_LEFT = 8
_SENTENCE_END = re.compile(r"[.!?\n]+")


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of `pattern`: split at each `|` outside any group or
    character class (the rules put no `]` first in a class)."""
    parts, start, depth, in_class, position = [], 0, 0, False, 0
    while position < len(pattern):
        character = pattern[position]
        if character == "\\":
            position += 1
        elif in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
        elif character in "()":
            depth += 1 if character == "(" else -1
        elif character == "|" and depth == 0:
            parts.append(pattern[start:position])
            start = position + 1
        position += 1
    return [*parts, pattern[start:]]


_ALTERNATIVES = {
    kind: _alternatives(pattern) for kind, pattern in {**_RULES, "idioms": _IDIOMS_PATTERN}.items()
}
_WORDS = {
    "distress_words": _DISTRESS_WORDS,
    "anger_words": _ANGER_WORDS,
    "asks_words": _ASKS_WORDS,
    "courtesy_words": _COURTESY_WORDS,
}
# Distress comes first: where a writer says both, what matters is that they are struggling.
_FEELINGS = ("distress", "anger")
# Each kind of words as one pattern, for the rare text whose lower-casing changes its length.
_WORDS_ANY_CASE = {
    kind: re.compile("|".join(patterns), re.IGNORECASE) for kind, patterns in _WORDS.items()
}
# What the screen looks for: each alternative of each rule and each pattern of words of
# feeling or asking ("distress_words 3", "asks_words 0"), named "kind number".
_SCREENED = {**_ALTERNATIVES, **_WORDS}
_SCREEN = Screen(
    {
        **{
            f"{kind} {number}": alternative
            for kind, alternatives in _SCREENED.items()
            for number, alternative in enumerate(alternatives)
        },
        "deadline 0": _DEADLINE_CUE_PATTERN,
    }
)


@lru_cache(maxsize=1024)
def _reduced(kind: str, numbers: tuple[int, ...]) -> re.Pattern:
    """The rule `kind` (for lower-cased text) with only its alternatives `numbers`, in
    order. Where the others cannot match, it finds exactly what the whole rule finds: the
    leftmost match, and there the first alternative that matches."""
    return re.compile("|".join(_ALTERNATIVES[kind][number] for number in numbers))


@cache
def _alternative(kind: str, number: int) -> re.Pattern:
    return re.compile(_SCREENED[kind][number])


def _first_match(kind: str, numbers: tuple[int, ...], text: str) -> re.Match | None:
    """What `_reduced(kind, numbers).search(text)` finds, by searching each alternative on
    its own: the leftmost match, and of those starting there the first alternative's.

    Each of the rules' 250 alternatives is compiled once; a pattern per mix of them would
    be compiled again for every new mix a message brings.
    """
    found = None
    for number in numbers:
        match = _alternative(kind, number).search(text)
        if match and (found is None or match.start() < found.start()):
            found = match
    return found


def _possible(text: str) -> dict[str, tuple[int, ...]]:
    """Per kind, the alternatives of its rule that the screen finds could match `text`."""
    names = _SCREEN.possible(text)
    if not names:
        return {}
    numbers: dict[str, list[int]] = {}
    for name in names:
        kind, _, number = name.rpartition(" ")
        numbers.setdefault(kind, []).append(int(number))
    return {kind: tuple(sorted(found)) for kind, found in numbers.items()}


@dataclass(frozen=True)
class RuleReading:
    """What the rules find in one text: its urgent-risk flags, the feeling it names in so
    many words (the feeling and the words), the words in which it asks for help, and the
    text without its courtesy (None where it has none, or nothing much besides)."""

    flags: list[Flag]
    feeling: tuple[str, str] | None
    asks: str | None
    plain: str | None


def read_rules(text: str) -> RuleReading:
    """The urgent-risk flags in `text` (`find_flags`), the feeling it names in so many
    words (`find_feeling_words`) and its words asking for help (`find_asking_words`).

    Most texts contain none of the words any rule needs: one scan by `_SCREEN` (on
    lower-cased text) rules out the alternatives of each rule that cannot match, so only
    the others run.
    """
    lower = _plain_marks(text.lower())
    if "  " not in lower:
        return _read_rules_once(text, lower)
    squeezed = _SPACE_RUNS.sub(_one_space, text)
    reading = _read_rules_once(squeezed, _plain_marks(squeezed.lower()))
    if not reading.flags:
        return reading
    to_text = _SqueezedSpaces(text).position_in_text
    flags = [_flag_at(text, flag, to_text(flag.start), to_text(flag.end)) for flag in reading.flags]
    return RuleReading(flags, reading.feeling, reading.asks, reading.plain)


def _read_rules_once(text: str, lower: str) -> RuleReading:
    """`read_rules` for a text whose words are one space or mark apart, and `lower`, the
    text lower-cased with its marks made plain."""
    if len(lower) != len(text):
        plain = _plain_marks(text)
        flags, words = _flags_in_any_case(plain), _WordFinder(plain, None, {})
    else:
        possible = _possible(lower)
        flags, words = _flags(text, lower, possible), _WordFinder(text, lower, possible)
    return RuleReading(flags, words.feeling(), words.find("asks_words"), words.plain())


# Curly apostrophes and quotes ("I can’t go on") and any space or line break between two
# words ("kill\u00a0myself", a line wrapped after "kill") read as the ' and the space the
# rules are written with. One character for one, so positions in the text stay the same.
_PLAIN_MARKS = [
    *((mark, "'") for mark in "\u2019\u2018\u02bc\u2032\uff07"),
    *((space, " ") for space in "\t\n\r\x0b\x0c\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"),
    *((chr(space), " ") for space in range(0x2000, 0x200B)),
]


# Two or more spaces or line breaks between words read as one ("kill  myself" typed with a
# slip of the thumb, a paragraph break inside a sentence); a line break among them is kept,
# as it ends a sentence.
_SPACE_RUNS = re.compile(r"\s\s+")


def _one_space(run: re.Match) -> str:
    return "\n" if "\n" in run.group() or "\r" in run.group() else " "


class _SqueezedSpaces:
    """Where each position of a text whose space runs were squeezed to one lies in the text
    as written."""

    def __init__(self, text: str) -> None:
        runs = [match.span() for match in _SPACE_RUNS.finditer(text)]
        self._removed = [0, *accumulate(end - start - 1 for start, end in runs)]
        before = self._removed[:-1]
        # Each run's one space, in the squeezed text.
        self._spaces = [start - gone for (start, _), gone in zip(runs, before, strict=True)]

    def position_in_text(self, position: int) -> int:
        """A position after a run's space moves on by the spaces squeezed out before it."""
        return position + self._removed[bisect_left(self._spaces, position)]


def _flag_at(text: str, flag: Flag, start: int, end: int) -> Flag:
    return Flag(flag.kind, text[start:end], start, end)


def _plain_marks(text: str) -> str:
    """`text` with `_PLAIN_MARKS` made plain (one `replace` per mark found: str.translate
    takes fifty times as long on a letter that is not all ASCII)."""
    if text.isascii() and "\n" not in text and "\t" not in text and "\r" not in text:
        return text  # most short texts: nothing to change
    for mark, plain in _PLAIN_MARKS:
        if mark in text:
            text = text.replace(mark, plain)
    return text


def find_flags(text: str) -> list[Flag]:
    """All urgent-risk flags in `text`, at most one per kind (its first evidence)."""
    return read_rules(text).flags


def find_feeling_words(text: str) -> tuple[str, str] | None:
    """The feeling a writer names in so many words, and the first such words: distress
    ("I can't cope any more", "we are terrified") before anger ("I am furious", "this is a
    disgrace"), or None."""
    return read_rules(text).feeling


def without_courtesy(text: str) -> str | None:
    """`text` with its sentences of courtesy set aside ("Many thanks for any help you can
    give.", "I hope you are well."), or None where it has none (or nothing much else)."""
    return read_rules(text).plain


def find_asking_words(text: str) -> str | None:
    """The first words in which the writer asks the office for help ("Can you help?", "I
    would be grateful if you could look into this", "what can I do?"), or None."""
    return read_rules(text).asks


def _flags(text: str, lower: str, possible: dict[str, tuple[int, ...]]) -> list[Flag]:
    """The flags in `text`, whose lower-cased form `lower` has the same length."""
    if not possible:
        return []
    masked = lower
    if "idioms" in possible:
        masked = _reduced("idioms", possible["idioms"]).sub(_blank, lower)
        possible = _possible(masked)
    matches = [
        (kind, _first_match(kind, possible[kind], masked)) for kind in _RULES if kind in possible
    ]
    flags = _flags_from(text, matches)
    if "deadline" in possible:
        flags.extend(_deadline_flags(masked, text, _LOWER))
    return flags


def _flags_in_any_case(text: str) -> list[Flag]:
    """The flags in a text whose lower-casing changes its length: every rule runs."""
    masked = _mask_idioms(text, _ANY_CASE)
    matches = [(kind, pattern.search(masked)) for kind, pattern in _ANY_CASE.rules.items()]
    return [*_flags_from(text, matches), *_deadline_flags(masked, text, _ANY_CASE)]


def _flags_from(text: str, matches: list[tuple[str, re.Match | None]]) -> list[Flag]:
    return [
        Flag(kind, text[match.start() : match.end()], match.start(), match.end())
        for kind, match in matches
        if match
    ]


@dataclass(slots=True)
class _WordFinder:
    """Finds words of feeling, asking or courtesy in `text`: through the screen's `possible`
    patterns on `lower`, or, where lower-casing changed the text's length (`lower` is
    None), with each kind's whole pattern in any case."""

    text: str
    lower: str | None
    possible: dict[str, tuple[int, ...]]

    def find(self, kind: str) -> str | None:
        if self.lower is None:
            match = _WORDS_ANY_CASE[kind].search(self.text)
        else:
            match = _first_match(kind, self.possible.get(kind, ()), self.lower)
        return self.text[match.start() : match.end()] if match else None

    def feeling(self) -> tuple[str, str] | None:
        for feeling in _FEELINGS:
            if words := self.find(f"{feeling}_words"):
                return feeling, words
        return None

    def plain(self) -> str | None:
        """The text without the sentences that hold courtesy, if enough else is left."""
        if self.lower is None:
            found = list(_WORDS_ANY_CASE["courtesy_words"].finditer(self.text))
        else:
            numbers = self.possible.get("courtesy_words", ())
            found = [
                m for n in numbers for m in _alternative("courtesy_words", n).finditer(self.lower)
            ]
        if not found:
            return None
        kept, start = [], 0
        for cue in sorted(found, key=lambda match: match.start()):
            if cue.start() < start:
                continue  # in a sentence already set aside
            begins = max(self.text.rfind(mark, start, cue.start()) for mark in ".!?\n") + 1
            ends = _SENTENCE_END.search(self.text, cue.end())
            kept.append(self.text[start : max(begins, start)])
            start = ends.end() if ends else len(self.text)
        left = " ".join([*kept, self.text[start:]])
        return left if len(left.split()) >= _WORDS_LEFT else None
