"""Language patterns the offline analyser reads answers with.

These describe how people tell work stories in English: who acts, in which tense, with what
kind of verb, and how outcomes, goals and context are usually phrased. All patterns run on
lower-cased text.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Pronouns. A lone lower-case "i" is the pronoun in casual writing.
FIRST_SINGULAR = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|im|ive|me|my|myself|mine)\b")
FIRST_PLURAL = re.compile(r"\b(?:we|we're|we've|we'd|we'll|us|our|ours|ourselves|the team|my team)\b")
SUBJECT = r"(?:i|we|me and \w+|\w+ and i|my (?:team|colleague|manager|boss) and i)"
# Up to three small words between a subject and its verb: "I then quickly called".
VERB_GAP = r"(?:\s+(?:\w+ly|then|also|just|actually|first|finally|immediately|personally|still|even|"
VERB_GAP += r"really|quickly|basically|literally|eventually|later|instead|again|both|all|kind of|sort of|"
VERB_GAP += r"like|um|uh|so|right away))*"

IRREGULAR_PAST = _words(
    "was were had went came took made gave got told said sent spent found brought bought built caught chose "
    "drove ran wrote rang spoke met left kept held put set paid sat stood saw heard felt knew "
    "thought understood taught began did fought flew forgot hung led lent lost meant read rode "
    "sold shut sought slept stuck swore threw woke won wore withdrew undertook overcame became "
    "broke drew fed grew hid hit let lit rose sang shook shot sprang struck swam swung tore "
    "upheld underwent rewrote rebuilt redid resent reran oversaw foresaw mistook"
)
# Verbs that describe a state of mind or being, not something done for the customer.
STATIVE = _words(
    "was were had felt thought knew understood believed hoped wished wanted liked loved hated "
    "realised realized noticed figured guess guessed seemed appeared remembered recalled "
    "needed used supposed tended assumed imagined expected feared worried wondered "
    "am are is be been being have has do does think know feel want need like love hope wish "
    "guess suppose believe mean meant"
)
# Actions so general that they say nothing about what was done.
VAGUE_ACTION = re.compile(
    r"\b(?:handled|dealt with|sorted|took care of|helped|managed|resolved|fixed|solved|"
    r"did (?:my|our|what|everything|the) (?:best|job|needful|right thing|could)|tried (?:my|our) best|"
    r"worked (?:on|through) it|figured it out|made it work|went above and beyond|"
    r"did what (?:i|we) (?:could|had to|needed to))\b"
    r"(?:\s+(?:it|them|him|her|this|that|the (?:issue|problem|situation|matter|complaint|customer|client))\b)?"
    r"(?:\s*(?:[.,!?;]|$|and\b|so\b|but\b))"
)
# Present-tense verbs that narrate action in the historical present ("so I call her back").
NARRATIVE_PRESENT = _words(
    "call ring phone go walk run grab get take tell say ask explain offer apologise apologize "
    "check look pull open email text send give refund book fix sit show bring put start find "
    "talk speak write escalate reach follow pick hand print set print calm promise listen "
    "write type sort change swap waive issue process organise organize arrange"
)
# Verbs that report how things ended rather than what was done.
OUTCOME_VERBS = _words(
    "renewed thanked returned stayed recommended referred ordered upgraded signed smiled laughed "
    "calmed cooled apologised apologized hugged happy pleased delighted satisfied relieved"
)
PAST_PARTICIPLE_NOT_VERB = _words(
    "need feed speed indeed bed red shed seed hundred sacred wicked naked kindred rugged "
    "ragged wretched beloved learned-hand advanced based-on"
)

HYPOTHETICAL = _any(
    r"\b(?:i|we|you|one)(?:'d(?! (?:say|\w+ed|been|had|gone|done|seen|taken|given|got|made|never|already|just|left|"
    r"lost|told|said|sent|spent|found|bought|brought|known|heard|built|run|kept|put|set|read|tried|asked)\b)"
    r"| would(?! say))\b(?! have (?:been|had))",
    r"\bi(?:'d| would) (?:probably|definitely|always|first|then|just|try)\b",
    r"\bif (?:a|the|my|any|some|that|this) (?:customer|client|person|patient|guest|user|caller)s?\b",
    r"\bif (?:someone|anyone|somebody|they|he|she|you|i (?:were|was|had|ever))\b",
    r"\bin (?:that|this|such a|a) (?:case|situation|scenario)\b",
    r"\bmy (?:approach|strategy|plan|first step|process) (?:is|would be)\b",
    r"\bwhat i(?:'d| would) do\b",
    r"\bthe (?:first|next|best) thing (?:i|to do|you)(?:'d| would| should| is)?\b",
)
HABITUAL = _any(
    r"\b(?:always|usually|generally|typically|normally|often|regularly|constantly|consistently|"
    r"every time|whenever|each time|all the time|day to day|daily|on a daily basis)\b",
    r"\b(?:i|we) tend to\b",
    r"\b(?:i|we|you)(?: will|'ll| should| can| must| have to| need to)\b",
    r"\bin general\b|\bas a rule\b|\bfor me,? (?:the )?customer\b",
    r"\bi (?:believe|feel|think) (?:that )?(?:it's|it is|the customer|customers|you)\b",
    r"\bit(?:'s| is) (?:important|key|crucial|essential|vital) (?:to|that)\b",
    r"\b(?:customers|clients|people) (?:always |usually |generally )?(?:want|need|expect|deserve|appreciate|are)\b",
    r"\b(?:i am|i'm) (?:a|an|very|really|always|someone|the kind|the type|passionate|dedicated|committed)\b",
    r"\bmy (?:philosophy|motto|mindset|belief|style|strength|way of working)\b",
    r"\bthe customer (?:is|comes) (?:always )?(?:right|first|king)\b",
)
TIME_ANCHOR = _any(
    r"\b(?:last|this past|that) (?:year|month|week|summer|winter|spring|fall|autumn|christmas|quarter|"
    r"holiday season|black friday|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    r"\b(?:a|one|two|three|few|couple of|several) (?:days?|weeks?|months?|years?) (?:ago|back|before|later|into)\b",
    r"\bin (?:19|20)\d\d\b|\bback in\b|\bat the time\b|\bthat (?:day|morning|afternoon|evening|night|shift)\b",
    r"\bone (?:time|day|morning|afternoon|evening|night|shift|weekend|week|saturday|friday)\b",
    r"\b(?:once|i remember|i recall|there was (?:a|an|this|one)|there was once|i had (?:a|an|this|one) "
    r"(?:customer|client|patient|guest|caller|lady|gentleman|man|woman|guy|family|parent|student))\b",
    r"\b(?:when|while) i (?:was|worked)\b|\bat my (?:last|previous|old|former|current|first) "
    r"(?:job|company|role|position|workplace|employer|store|restaurant|hotel|practice|clinic)\b",
    r"\b(?:in|during) my (?:time|years?|first|last|previous|second) (?:at|as|with|in|job|role|week|month|year)\b",
    r"\b(?:this|one|a) (?:customer|client|guy|lady|woman|man|gentleman|patient|guest|caller|family|couple|"
    r"tenant|student|parent|user|account) (?:came|called|walked|rang|emailed|wrote|phoned|complained|"
    r"comes|calls|walks|rings|emails|writes|phones|complains|who|whose|had|has|was|is)\b",
    r"\b(?:january|february|march|april|june|july|august|september|october|november|december)\b",
)
CONTEXT_SETTING = _any(
    r"\b(?:when|while) i (?:was|worked|used to)\b",
    r"\bi (?:was|used to be|used to work|worked|work|am) (?:working )?(?:as|at|in|for|on) (?:a|an|the|my|our|this)\b",
    r"\bat my (?:last|previous|old|former|current|first) \w+\b|\bin my (?:last|previous|current|old|first) \w+\b",
    r"\b(?:we|i) had (?:a|an|this|one|some) (?:customer|client|patient|guest|caller|user|account|vip|"
    r"regular|family|elderly|older|new|big|large|key|major|small|local|long-time|longtime|loyal)\b",
    r"\bthere (?:was|were) (?:a|an|this|one|some|two|three|several)\b",
    r"\b(?:i|we) (?:run|ran|manage|managed|own|owned|lead|led|look after|looked after|cover|covered) "
    r"(?:a|an|the|our|my|front|two|three|four|five|six|\w+ )",
    r"^(?:as (?:a|an|the) |i'm (?:a|an|the) |i am (?:a|an|the) |i was (?:a|an|the) )",
    r"^(?:(?:senior |junior |lead |head |assistant )?\w+ (?:manager|advisor|adviser|agent|nurse|assistant|"
    r"engineer|representative|rep|lead|specialist|officer|receptionist|server|waiter|waitress|cashier|"
    r"technician|consultant|coordinator|supervisor|analyst|clerk) (?:at|in|for|on))\b",
    r"\b(?:we|i) (?:kept|started|were|was) (?:getting|seeing|hearing|receiving)\b",
    r"\b(?:we|i) had (?:a|an|this|one) \w+(?: \w+)? (?:turn up|come in|call|who|whose|that|with)\b",
    r"\b(?:a|one|this|our|the) (?:customer|client|patient|guest|caller|user|account|family|tenant|"
    r"passenger|parent|shopper|buyer|policyholder|homeowner|member|lady|gentleman|woman|man|guy|couple)\b"
    r".{0,60}\b(?:came|called|walked|rang|emailed|wrote|phoned|complained|contacted|reached|arrived|"
    r"comes|calls|walks|rings|emails|writes|complains|was|had|were|got|is|has)\b",
)
PROBLEM = re.compile(
    r"\b(?:complain\w*|upset|angry|furious|frustrat\w*|annoyed|irate|livid|unhappy|disappoint\w*|"
    r"issue|issues|problem|problems|broken|broke|delay\w*|late|wrong|missing|missed|error|errors|"
    r"outage|bug|bugs|fail\w*|cancel\w*|overcharg\w*|double[- ]charg\w*|lost|damaged|escalat\w*|churn\w*|"
    r"threaten\w*|leave|leaving|refund|mistake|mix-up|mixup|crash\w*|down|stuck|confus\w*|worried|"
    r"stressed|panick\w*|urgent|deadline|shortage|backlog|short-staffed|understaffed|rush|crying|"
    r"yelling|shouting|screaming)\b"
)
TASK = _any(
    r"\bmy (?:job|role|task|responsibility|goal|aim|priority|focus|objective|mission|challenge) "
    r"(?:was|there was|at the time was|in this|here|became)\b",
    r"\bi (?:was|became|am) (?:responsible|accountable|in charge|tasked|asked|assigned|supposed|expected|"
    r"the (?:one|person)|their|his|her|the (?:main|primary|designated|lead|only)|the point of contact)\b",
    r"\b(?:i|we) (?:needed|had|wanted|have|need|got) to\b",
    r"\bit (?:was|fell) (?:up )?(?:to|on) me\b|\bit was my (?:job|responsibility|call|duty)\b",
    r"\bthe (?:goal|aim|challenge|objective|priority|task|idea|plan) (?:was|became|here was)\b",
    r"\bi (?:wanted|needed|had|was determined|set out|decided i|made it my (?:job|mission|goal)) to "
    r"(?:make sure|ensure|get|find|fix|figure|keep|win|save|turn|understand|help|resolve|solve)\b",
    r"\bi knew (?:i|we) (?:had|needed|must|couldn't|could not|should)\b",
    r"\b(?:i|we) (?:must|couldn't|could not|can't) (?:let|lose|afford)\b",
    r"\bmy (?:manager|boss|supervisor|lead|director) (?:asked|told|wanted|gave|assigned|put) me\b",
    r"\bi (?:was )?(?:handed|given) (?:the|this|their)\b",
    r"\bto (?:make sure|ensure) (?:that )?(?:she|he|they|the (?:customer|client|patient|guest))\b",
)
DECLINE = _any(
    r"\b(?:i )?(?:can't|cannot|can not|couldn't|don't|do not|dont|cant) (?:really |honestly |quite |actually )?"
    r"(?:recall|remember|think of|come up with|bring to mind)\b",
    r"\b(?:nothing|no example|none|no story|no specific|nothing specific) (?:really )?(?:comes?|springs?|jumps?) to mind\b",
    r"\b(?:i )?(?:have never|haven't|never|have not|havent) (?:really |actually |personally )?"
    r"(?:had|been in|dealt|worked (?:with|in|directly)|come across|experienced|encountered|faced|done)\b",
    r"\b(?:i'd|i would|i) (?:rather|prefer) (?:not|to skip|to pass|skip|pass)\b",
    r"^\W*(?:skip|pass|next|no comment|n/?a|no idea|idk|dunno|nope|no)\W*(?:this one|question|please)?\W*$",
    r"\b(?:can we|could we|let's|lets) (?:come back|skip|move on|pass)\b",
    r"\b(?:i'm|i am|im) (?:drawing|blanking)\b|\bmy mind (?:is|went|goes) blank\b",
    r"\b(?:i )?(?:don't|do not|dont) (?:have|really have) (?:an?|any) (?:example|experience|story|answer)\b",
    r"\bnot sure i (?:have|can think of) (?:an?|one|any)\b|\bno experience with\b",
    r"\bi (?:don't|do not|dont) know\W*$",
)
OUTCOME = _any(
    r"\b(?:in the end|at the end|by the end|ultimately|eventually|in the long run|long story short|"
    r"as a result|because of (?:this|that|it)|thanks to (?:this|that|it)|the outcome|the result was|"
    r"the upshot|resulted in|which (?:meant|led|resulted|helped|saved|brought|got|cut|reduced)|"
    r"ended up|turned out|since then|from then on|to this day|after that,? (?:she|he|they|the)|"
    r"never (?:had|got|heard) (?:another|a single|any more|that)|haven't had (?:a|any)|"
    r"within (?:a|the|two|three|\d+) (?:day|days|week|weeks|month|months|hours?))\b",
    r"\b(?:she|he|they|the (?:customer|client|patient|guest|family|caller|user|account|parent|owner|"
    r"company|business|tenant|policyholder)s?)\s+(?:\w+\s+)?(?:thanked|renewed|came back|returned|"
    r"signed|stayed|re-?signed|extended|upgraded|recommended|referred|left (?:us )?(?:a|an|with)|wrote|"
    r"posted|sent (?:us |me )?(?:a|an)|emailed (?:my|our)|called (?:back )?to thank|bought|ordered|"
    r"agreed|accepted|withdrew|dropped|calmed|cooled|apologi[sz]ed|hugged|smiled|laughed|"
    r"kept|continued|is still|are still|remained|became|closed|gave (?:us|me) (?:a|an|five|5))\b",
    r"\b(?:she|he|they|the \w+) (?:was|were|seemed|looked|felt|ended up|left) (?:\w+ )?"
    r"(?:happy|thrilled|pleased|grateful|satisfied|delighted|relieved|impressed|so happy|really happy|"
    r"much happier|calmer|calm)\b",
    r"\b(?:satisfaction|nps|csat|ratings?|scores?|reviews?|retention|churn|complaints?|tickets?|calls|"
    r"wait(?:ing)? times?|response times?|resolution times?|sales|revenue|returns|errors|no-shows|"
    r"repeat (?:visits|business|customers)|escalations|bookings|conversions?|renewals?|attendance)"
    r".{0,40}\b(?:went|rose|increased|dropped|fell|decreased|improved|doubled|halved|tripled|grew|"
    r"jumped|climbed|declined|shrank|went down|went up|came down|stopped)\b",
    r"\b(?:increased|reduced|cut|improved|boosted|raised|lowered|saved|decreased|grew|shortened|"
    r"halved|doubled|tripled|brought down|brought up|dropped|lifted)\b.{0,60}\b(?:by|from|to)\b",
    r"\bwent from\b.{1,40}\bto\b",
    r"\b(?:five|5|four|4)[- ]star\b|\b(?:thank[- ]you|thank you) (?:card|note|letter|email|message)\b|"
    r"\b(?:positive|glowing|great|good) (?:review|feedback|survey)\b",
    r"\b(?:we|i) (?:kept|retained|saved|won|won back|held on to|got back) (?:the|their|his|her|that)\b",
    r"\b(?:the|that) (?:issue|problem|complaint|ticket|case|claim|matter) (?:was|got|has been|is) "
    r"(?:resolved|fixed|closed|solved|sorted|settled|withdrawn|dropped)\b",
    r"\b(?:we|i) (?:got|received|earned|won) (?:a |an |the |some |lots of |great |positive )?(?:award|bonus|"
    r"thank|thanks|compliment|shout-out|shoutout|mention|recognition|praise|card|letter|review|feedback|"
    r"contract|deal|renewal|referral)s?\b",
    r"\b(?:i|she|he|they) (?:was|were|got) (?:promoted|recognised|recognized|praised|commended|mentioned)\b",
    r"\b(?:still|now) (?:a|one of our|our) (?:customer|client|regular|biggest|best|loyal)\b",
    r"\bbecame (?:a|one of our|our) (?:regular|loyal|repeat|biggest|best)\b",
    r"\b(?:was|were|got|been|has been|have been) (?:finally |eventually |all |fully )?(?:paid|overturned|approved|"
    r"delivered|refunded|replaced|reinstated|accepted|released|restored|waived|reversed|credited|reopened|"
    r"rebooked|rehomed|discharged|cleared|installed|upheld|reimbursed|compensated)\b",
    r"\b(?:she|he|they|we|it|everything|everyone) (?:made it|got there|got home|arrived|got (?:it|them|her|his|their)"
    r"(?: \w+)? (?:back|on time|in time|fixed|sorted|working))\b",
    r"\b(?:are|is|was|were|came|went|got) (?:now )?(?:down|up) (?:to|by|from)\b",
    r"\b(?:comes|came|come) back (?:in|the|a|next|with|to|and)\b|\bstill (?:calls|comes|uses|orders|books|asks)\b",
    r"\b(?:they|she|he) (?:took|accepted|chose|picked|went with|agreed to) (?:the|our|my|that|it)\b",
)
# An outcome the candidate does not know is not an outcome.
UNKNOWN_OUTCOME = re.compile(
    r"\b(?:(?:don't|do not|didn't|did not|never) (?:know|find out|found out|hear|heard|see|saw) "
    r"(?:what|how|if|whether|the)|not sure (?:what|how|if|whether)|no idea (?:what|how|if|whether)|"
    r"i hope (?:it|that|she|he|they))\b"
)
INTENTION = re.compile(
    r"\b(?:i|we) (?:didn't want|did not want|wanted|couldn't|could not|can't|knew|decided|was determined|"
    r"had to|needed|had no|wasn't going to|was not going to|refused to|couldn't just|was worried|was afraid)\b|"
    r"\bthe (?:problem|issue|catch|trouble|risk|concern|thing) (?:was|is)\b|\b(?:deadline|in time|urgent|"
    r"before (?:the|her|his|their) (?:flight|deadline|event|wedding|meeting|shift))\b"
)
ROLE = re.compile(
    r"\b(?:i'm|i am|i was|as|i work(?:ed)? as|i worked as) (?:a|an|the) (?:\w+ ){0,3}?(?:manager|advisor|adviser|"
    r"agent|nurse|pharmacist|assistant|engineer|representative|rep|lead|leader|specialist|officer|receptionist|"
    r"server|waiter|waitress|cashier|technician|consultant|coordinator|supervisor|analyst|clerk|electrician|"
    r"plumber|teacher|owner|director|developer|designer|barista|bartender|driver|stylist|vet|doctor|"
    r"carpenter|builder|host|attendant|planner|administrator|admin|banker|teller|associate|member)\b|"
    r"^(?:(?:senior |junior |lead |head |assistant )?\w+ (?:manager|advisor|agent|nurse|assistant|engineer|"
    r"lead|specialist|officer|receptionist)) (?:at|in|for|on)\b|\bi (?:run|own|manage|managed|ran)\b"
)
VAGUE_OUTCOME = _any(
    r"\b(?:it|things|everything|that) (?:all )?(?:went|worked out|turned out|ended) "
    r"(?:well|fine|great|ok|okay|good|alright|all right|nicely|smoothly)\b",
    r"\b(?:it|things|everything) (?:worked out|got better|improved|was (?:fine|good|ok|okay|great|a success|resolved))\b",
    r"\beveryone (?:was|were|ended up) (?:happy|satisfied|fine|ok|okay)\b",
    r"\b(?:she|he|they|the customer|the client) (?:was|were|seemed) (?:ok|okay|fine|alright|happy|happier|satisfied)\b",
    r"\ball good\b|\bhappy ending\b|\bit was a (?:win|success|good outcome)\b|\bproblem solved\b",
    r"\b(?:i think|hopefully|i hope|i guess) (?:it|they|she|he) (?:helped|worked|was|were|liked|appreciated)\b",
)
REFLECTION = _any(
    r"\b(?:i|we) (?:learned|learnt|realised|realized|took away|now know|now always|now make sure|"
    r"changed (?:how|the way)|started (?:doing|to))\b",
    r"\b(?:looking back|in hindsight|next time|if i did it again|what i(?:'d| would) do differently|"
    r"the lesson|lesson learned|taught me|since then i|from then on i|i now)\b",
)
NUMBER = re.compile(
    r"(?<![\w/])(?:[$£€¥₹]\s?\d[\d,.]*[km]?|\d[\d,.]*\s?(?:%|percent|per cent|k\b|x\b)|"
    r"\d[\d,.]*(?!\d)|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|half|"
    r"a third|a quarter|dozen|double|doubled|tripled|halved|twice)\b)"
)
NOT_A_MEASURE = re.compile(r"^(?:(?:19|20)\d\d|\d{1,2}(?::\d\d)?(?:am|pm)?|24/7|one)$")
BLAME = _any(
    r"\b(?:customer|client|guy|lady|woman|man|he|she|they|people|customers|clients|patient|caller|user)s?"
    r"\s+(?:was|were|is|are|being|was being|were being|acted|acting)\s+(?:being\s+)?(?:so |really |just |"
    r"completely |totally |honestly |super |very |such )?(?:an? )?(?:stupid|idiot|idiots|idiotic|clueless|"
    r"dumb|lazy|entitled|crazy|insane|nuts|ridiculous|a nightmare|a pain|hopeless|incompetent|ignorant|"
    r"impossible|unreasonable|delusional|moron|morons|brainless|annoying|a joke|pathetic|useless)\b",
    r"\b(?:their|his|her|the customer's|the client's) own (?:fault|problem|mistake)\b|"
    r"\b(?:it|that) was (?:their|his|her|the customer's|the client's) (?:fault|problem|mistake)\b",
    r"\b(?:they|he|she|the customer|the client) (?:should|could) have (?:just )?(?:read|known|checked|"
    r"listened|paid attention|followed)\b",
    r"\b(?:didn't|did not|never|couldn't|could not) (?:even )?bother(?:ed)? to\b",
    r"\bsome (?:people|customers|clients) (?:just )?(?:can't|cannot|will never|won't|are never) "
    r"(?:be )?(?:pleased|satisfied|happy|helped)\b",
    r"\bnot my (?:problem|fault|job|issue)\b|\byou can't (?:fix|help|please|cure) (?:stupid|everyone|some people)\b",
    r"\b(?:customers|clients|people) (?:are|can be) (?:idiots|stupid|the worst|morons|so dumb)\b",
    r"\bthe customer is(?: not|n't) always right\b|\b(?:a|this|typical|total) karen\b",
    r"\b(?:she|he|they) (?:was|were) (?:just )?(?:lying|trying to scam|scamming|making it up)\b",
    r"\b(?:just|simply|mostly|all) (?:people|customers|guests|clients|ones) who (?:didn't|don't|can't|never|won't)\b",
    r"\b(?:typical|so|such an?|really|very) entitled\b|\bentitled (?:type|customer|guest|people)\b",
    r"\b(?:always|constantly|forever) (?:\w+ ){0,4}(?:moaning|whining|whinging)\b",
    r"\b(?:don't|do not|didn't|won't) bother (?:trying|with (?:those|them|people|customers))\b",
    r"\b(?:it|nothing) (?:wasn't|was not|isn't|was never) (?:actually )?broken,? (?:he|she|they) just\b",
    r"\bwhich is (?:literally|clearly|right there) (?:in|on|explained|written)\b",
)
INJECTION = _any(
    r"\b(?:ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(?:instructions?|prompts?|rules|rubric|"
    r"guidelines|directions|criteria|system|programming|previous|above|everything)\b",
    r"(?:^|\W)(?:system|assistant|developer|admin)\s*(?:prompt|message|override|note)?\s*[:>\]]",
    r"\b(?:you are|you're|act as|pretend (?:to be|you are)|as) (?:now )?(?:an?|the) "
    r"(?:ai|language model|llm|chatbot|evaluator|grader|assessor|scorer|interviewer bot|model)\b",
    r"\b(?:rate|score|grade|mark|give|assign|award)\b.{0,30}(?:\b(?:5|five|10|ten)\s*(?:/|out of)\s*"
    r"(?:5|five|10|ten)\b|\bfull marks\b|\bperfect (?:score|marks|rating)\b|\b(?:maximum|max|highest|top) "
    r"(?:score|marks?|rating|grade)\b)",
    r"\b(?:score|rating|grade)\s*[:=]\s*(?:5|10|five|max)\b",
    r"\b5/5\b|\b10/10\b|\bfull marks\b|\bperfect score\b|\bhire (?:me|this candidate) immediately\b",
    r"<\|[a-z_]+\|>|\[/?inst\]|###\s*(?:system|instruction)|\bnew instructions?\b|\bjailbreak\b",
    r"\b(?:ignora|ignore[zr]?|ignoriere|ignorieren)\b.{0,30}\b(?:instrucciones|instructions|anweisungen|"
    r"istruzioni|instruções|regeln|reglas|règles)\b",
    r"\b(?:dale|dame|gib|donne|dai|dê|da)\b.{0,30}\b(?:5|cinco|fünf|cinq|cinque)\b.{0,20}"
    r"\b(?:puntos|punkte|points|punti|pontos|estrellas|sterne)?\b.{0,10}(?:/\s*5|de 5|von 5|sur 5|su 5)",
)
CUSTOMER_WORDS = re.compile(
    r"\b(?:customers?|clients?|users?|patients?|guests?|callers?|buyers?|shoppers?|students?|parents?|"
    r"members?|passengers?|tenants?|residents?|accounts?|consumers?|subscribers?|visitors?|diners?|"
    r"homeowners?|policyholders?|claimants?|families|family|owners?|stakeholders?|service|support|"
    r"complaints?|complain\w*|orders?|bookings?|reservations?|tickets?|refunds?|deliver\w*|"
    r"cliente|clientes|kunde|kunden|kundin|client|clienti|cliente|paciente|usuario|huésped|"
    r"store|shop|restaurant|hotel|clinic|hospital|bank|helpdesk|help desk|call centre|call center|"
    r"product|feature|contract|renewal|sale|sales|feedback|tables?|rooms?|flights?|parcels?|"
    r"invoices?|bills?|appointments?|till|checkout|deliveries|lady|ladies|woman|women|man|men|guy|gentleman|"
    r"dads?|mums?|moms?|mother|father|person|someone|people|departments?|claims?|polic(?:y|ies)|meters?|"
    r"phones?|calls?|called|emails?|emailed|rang|queue|waiting|walked in|came in|nps|csat|surveys?)\b"
)
OFF_TOPIC = _any(
    r"\bmy (?:greatest |biggest )?(?:weakness|weaknesses|strengths?)\b",
    r"\bmy (?:hobby|hobbies|favou?rite|dog|cat|kids|weekend|holiday|vacation)\b",
    r"\bin my (?:free|spare) time\b|\bfor fun\b",
    r"\b(?:football|soccer|basketball|baseball|fishing|gaming|video games?|netflix|movies?|hiking|"
    r"marathon|gym routine|recipe|cooking|guitar|painting|gardening|chess|weather)\b",
    r"\bwhere i see myself\b|\bsalary\b|\bwhy i want (?:this|the) job\b",
)
ENGLISH_FUNCTION_WORDS = _words(
    "the a an and or but so to of in on at for with was were is are i we he she they it my our "
    "that this then when what how who had have has did do not be been me him her them you your "
    "from as by up out about there their just very"
)
