"""What the demo constituents write about, in their own varied words.

Each situation is a real kind of casework; tone changes how it is said. Slots in braces
are filled from the person and a seeded random generator.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Situation:
    theme: str
    subject: str
    body: str
    urgent: bool = False


SITUATIONS: list[Situation] = [
    # Housing and repairs
    Situation(
        "housing",
        "Damp and mould in my flat",
        "There has been black mould in the bedroom for {months} months and my {child} has "
        "had a chest infection twice. I rent from Northby Homes at {address}. "
        "I reported it on {date} (reference NH{ref}) and nobody has come out.",
    ),
    Situation(
        "housing",
        "Housing register banding",
        "We are a family of {family} in a two-bedroom flat. The council put us in band C "
        "even though my {child} sleeps in the living room. Can you ask them to look again?",
    ),
    Situation(
        "housing",
        "Repairs not done",
        "The boiler at {address} broke {weeks} weeks ago. We have had no hot water and the "
        "landlord keeps saying an engineer is booked but no one comes.",
    ),
    Situation(
        "housing",
        "Eviction notice - we have to leave this week",
        "The bailiffs are coming on {weekday} and we have nowhere to go. I have {family} "
        "children. The council homeless team said to call back next week but that is too "
        "late. Please can someone help us before we are on the street.",
        urgent=True,
    ),
    Situation(
        "housing",
        "Section 21 notice",
        "My landlord has served a section 21 notice and wants us out by {soon}. I have "
        "always paid the rent. I do not know what my rights are.",
    ),
    # Benefits
    Situation(
        "benefits",
        "Universal Credit payment stopped",
        "My Universal Credit was stopped on {date} because they say I missed an "
        "appointment, but I was in hospital. I have {money} left until the end of the month.",
    ),
    Situation(
        "benefits",
        "PIP assessment refused",
        "I was refused PIP after a telephone assessment that lasted twenty minutes. I have "
        "{condition} and cannot walk more than a few metres. I have asked for a mandatory "
        "reconsideration but heard nothing for {weeks} weeks.",
    ),
    Situation(
        "benefits",
        "No money for food or gas",
        "I have no money left for food or for the gas meter. My Universal Credit advance is "
        "being taken back at {money} a month and I have nothing left for the children. "
        "We have been to the food bank twice this month.",
        urgent=True,
    ),
    Situation(
        "benefits",
        "Carer's Allowance overpayment",
        "The DWP says I owe {money} in Carer's Allowance overpayments going back two years. "
        "I care for my mum full time and I reported my hours every time.",
    ),
    # Health
    Situation(
        "health",
        "Waiting for an operation",
        "My {relative} has been waiting {months} months for a hip operation at Northby "
        "General. The pain is constant and the hospital will not give a date.",
    ),
    Situation(
        "health",
        "Cannot get a GP appointment",
        "I ring the surgery on Hollins Road at 8am every day and by the time I get through "
        "there are no appointments left. I have had {condition} symptoms for weeks.",
    ),
    Situation(
        "health",
        "Mental health waiting list",
        "My {child} was referred to CAMHS {months} months ago and we are still waiting. "
        "She is not going to school and I am frightened for her.",
    ),
    Situation(
        "health",
        "I cannot go on",
        "I do not see the point any more. Since I lost my job and the benefits stopped I "
        "have been thinking about ending my life. I do not know who else to tell.",
        urgent=True,
    ),
    # Immigration
    Situation(
        "immigration",
        "Visa application delayed",
        "My wife applied for a spouse visa {months} months ago (reference GWF0{ref}) and "
        "the Home Office has not decided. Our baby was born in the meantime.",
    ),
    Situation(
        "immigration",
        "Asylum claim waiting",
        "I claimed asylum {months} months ago and I am still waiting for my interview. I am "
        "not allowed to work and I feel my life is on hold.",
    ),
    Situation(
        "immigration",
        "Biometric residence permit lost",
        "My BRP was lost in the post and now my employer says I cannot keep working without "
        "proof of my right to work. My shifts end on {soon}.",
    ),
    # Education
    Situation(
        "education",
        "EHCP assessment delayed",
        "We asked for an EHC needs assessment for our {child} in {month}. The legal limit is "
        "20 weeks and it has been {weeks}. He is autistic and is out of school most days.",
    ),
    Situation(
        "education",
        "No school place for my child",
        "We moved to {address} in {month} and my {child} still has no school place. The "
        "council offered a school two buses away.",
    ),
    Situation(
        "education",
        "School transport withdrawn",
        "The council has stopped the school bus for my {child}, who has SEND needs. I work "
        "shifts and cannot take him myself.",
    ),
    # Transport
    Situation(
        "transport",
        "Bus route cut",
        "The 42 bus no longer runs after 7pm. I finish work at 10pm at the hospital and now "
        "pay {money} for a taxi every night.",
    ),
    Situation(
        "transport",
        "Potholes on {street}",
        "The potholes on {street} are getting worse. My neighbour fell last week and two "
        "cars have had burst tyres.",
    ),
    Situation(
        "transport",
        "Trains cancelled every morning",
        "The 07:12 from Northby to Leeds has been cancelled or late on most days this month. "
        "I am at risk of losing my job.",
    ),
    # Crime and antisocial behaviour
    Situation(
        "crime",
        "Antisocial behaviour on our street",
        "There has been drug dealing and motorbikes on {street} every night for {weeks} weeks. "
        "We have reported it to the police eleven times.",
    ),
    Situation(
        "crime",
        "Burglary and no response",
        "Our house was burgled on {date}. The police gave us a crime number by text and "
        "nobody has been to see us.",
    ),
    Situation(
        "crime",
        "My partner is hurting me",
        "I need help. My partner hits me and he has taken my phone and bank card before. I "
        "am scared of what he will do when he finds out I have written. Please do not ring "
        "the house phone.",
        urgent=True,
    ),
    Situation(
        "crime",
        "Worried about a child next door",
        "I am worried about the little boy next door. He is often left alone overnight, he "
        "is not fed and I heard him screaming again last night.",
        urgent=True,
    ),
    # Environment
    Situation(
        "environment",
        "Fly-tipping behind the shops",
        "Fly-tipping behind the shops on {street} has been there for {weeks} weeks, with "
        "rats now. The council says it is private land.",
    ),
    Situation(
        "environment",
        "Flooding on Canal Side",
        "Our road flooded again in the storm. Water came into three houses. We were promised "
        "flood defences after last time.",
    ),
    Situation(
        "environment",
        "Sewage in the river",
        "There was raw sewage in the Brook again this weekend. Children play there. What is "
        "being done about the water company?",
    ),
    # Local services
    Situation(
        "local_services",
        "Bins not collected",
        "Our bins on {street} have not been collected for three weeks. The council app says "
        "the collection was completed.",
    ),
    Situation(
        "local_services",
        "Library opening hours",
        "Eastfield library now opens two days a week. It was where I used the computers to "
        "look for work.",
    ),
    Situation(
        "local_services",
        "Streetlights out",
        "Half the streetlights on {street} have been out for {weeks} weeks. Older residents "
        "are afraid to go out after dark.",
    ),
    # Tax and money
    Situation(
        "tax_money",
        "HMRC tax code wrong",
        "HMRC has put me on an emergency tax code and I have lost {money} this month. I have "
        "been on hold for hours every time I ring.",
    ),
    Situation(
        "tax_money",
        "Council tax arrears and bailiffs",
        "I got behind on council tax when I was off sick and now the bailiffs have written. "
        "I can pay something but they want it all at once.",
    ),
    Situation(
        "tax_money",
        "Court hearing for debt on {weekday}",
        "I have a county court hearing on {weekday} about a debt and I do not have a lawyer. "
        "I did not understand the papers. Can someone explain what I need to do?",
        urgent=True,
    ),
    Situation(
        "tax_money",
        "Child Benefit stopped",
        "Our Child Benefit stopped without warning. HMRC says they sent a letter but we "
        "never got one.",
    ),
]

GREETINGS = ["Dear Ms Hussain,", "Dear Amira,", "Hello,", "To the MP's office,"]

OPENINGS = {
    "grateful": [
        "Thank you for all you do for the area.",
        "Your office helped my neighbour last year, so I hope you can help me.",
        "Thank you for taking the time to read this.",
    ],
    "angry": [
        "I am absolutely fed up and frankly disgusted.",
        "This is a disgrace and I am furious about how we have been treated.",
        "I am writing because I am sick of being ignored.",
    ],
    "anxious": [
        "I am really worried and I do not know where else to turn.",
        "I have not been sleeping because of this and I am anxious all the time.",
        "I am scared about what will happen next.",
    ],
    "desperate": [
        "Please help me, I am desperate.",
        "I am at the end of my tether and I am crying as I write this.",
        "I have tried everything and I cannot cope any more.",
    ],
    "neutral": ["", "I am writing as a constituent.", "I would like to raise the following."],
}

CLOSINGS = {
    "grateful": [
        "Many thanks for any help you can give.",
        "Thank you again, I really appreciate it.",
    ],
    "angry": [
        "I expect a proper answer this time, not another standard letter.",
        "Somebody needs to be held accountable for this.",
    ],
    "anxious": ["I would be so grateful for any advice.", "Please let me know what I should do."],
    "desperate": ["Please help us.", "I do not know what else to do. Please."],
    "neutral": ["I look forward to hearing from you.", "Kind regards."],
}

# How a caseworker notes the way someone spoke, on a call or at a surgery.
TONE_NOTES = {
    "grateful": "Very polite; thanked us for all the office does.",
    "angry": "They are angry about how they have been treated.",
    "anxious": "They are very worried and have not been sleeping.",
    "desperate": "In tears; says they cannot cope any more.",
    "neutral": "",
}

# What people write when they come back to an open case: mostly chasing or passing on news,
# sometimes thanks, now and then that things are getting worse.
FOLLOW_UPS = [
    "I have not heard anything since I last wrote. Could you let me know where things are?",
    "Is there any news? It has been a few weeks now.",
    "I am sorry to chase, but the deadline is getting close.",
    "I have an update: nothing has changed since my last email.",
    "Could someone ring me when there is news? Mornings are best for me.",
    "Just checking that you got my last message, as I have not had a reply.",
    "Thank you for your reply. The agency has now written to me.",
    "They have given me a reference number now and said it will take eight weeks.",
    "I have found the letter you asked for and will bring it to your next surgery.",
    "The council rang yesterday and said someone will come out next week.",
    "Thank you so much, it has been sorted. I am very grateful.",
    "Thank you for chasing this. I finally have an answer.",
    "I still have not heard anything and things are getting worse.",
]

TONE_WEIGHTS = {"neutral": 40, "anxious": 22, "angry": 20, "grateful": 10, "desperate": 8}

CHILDREN = ["son", "daughter", "youngest", "eldest", "little boy", "little girl"]
RELATIVES = ["mum", "dad", "husband", "wife", "partner", "grandmother"]
CONDITIONS = ["MS", "COPD", "arthritis", "fibromyalgia", "heart failure", "long Covid"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "March", "April", "June", "September", "October"]

CAMPAIGNS = [
    {
        "title": "Save Eastfield Library",
        "theme": "local_services",
        "subject": "Please save Eastfield Library",
        "template": (
            "I am writing as your constituent to ask you to oppose the council's plan to close "
            "Eastfield Library. The library is a lifeline for children doing homework, older "
            "people who are lonely, and people looking for work who have no computer at home.\n\n"
            "Please speak up for Eastfield Library and ask the council to find another way to "
            "make savings."
        ),
        # Slots are filled as a letter's are, so no two signatories need say the same.
        "personal_lines": [
            "My children learnt to read at the Saturday story time there.",
            "My {child} learnt to read at the Saturday story time there.",
            "I used the library computers to apply for the job I have now.",
            "My {relative} goes every {weekday}; it is the only time they talk to anyone.",
            "I volunteer at the homework club and see how much it matters.",
            "Where will people go to print their Universal Credit letters?",
            "It is the only warm, quiet place my {child} can do homework.",
            "My {relative} learnt to use a computer there after {months} months of lessons.",
            "The reading group meets there every {weekday}; there is nowhere else for it.",
            "I have used it since I moved to {street} as a child.",
            "My {child} goes to the homework club there every {weekday}.",
            "Without it my {relative} cannot read the paper: they cannot afford one.",
        ],
        "share": 0.09,
    },
    {
        "title": "Fund SEND support in Northby schools",
        "theme": "education",
        "subject": "SEND funding crisis in our schools",
        "template": (
            "As a parent in Northby and Eastfield I am asking you to press the government for "
            "proper funding for children with special educational needs and disabilities. "
            "Families are waiting far beyond the 20-week limit for EHC plans, and schools do not "
            "have the money to give children the support they are entitled to.\n\n"
            "Will you raise this in Parliament and meet local parents?"
        ),
        "personal_lines": [
            "My son waited 41 weeks for his plan.",
            "My {child} waited {weeks} weeks for an EHC plan.",
            "Our school has lost three teaching assistants this year.",
            "My {child} has been out of school since {month}.",
            "I had to give up work to home-school.",
            "I had to give up work to be there when the school rings, most days.",
            "My {child} is on a part-time timetable of two hours a day.",
            "We waited {months} months for an assessment that lasted twenty minutes.",
            "My {child}'s school says it cannot afford the support in the plan.",
            "We are going to tribunal for the second time.",
        ],
        "share": 0.06,
    },
]
