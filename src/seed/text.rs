//! Word banks for synthetic conversations. Templates hold `{slot}`s that are filled from
//! the person's own circumstances (their town, family, hobby, the person they care for)
//! or from small random banks, so that thousands of people do not all say the same
//! thing and one person's words hang together from assessment to review.
//!
//! A slot written with a capital (`{Cf}`) is filled and capitalised, for the start of a
//! sentence.

use super::names::Culture;

/// Words for one framework outcome.
pub struct OutcomeText {
    pub id: &'static str,
    /// What matters, in the person's words (assessment).
    pub own: &'static [&'static str],
    /// Why it matters.
    pub why: &'static [&'static str],
    /// The personal outcome as a plan statement.
    pub statement: &'static [&'static str],
    /// Plan actions: (action owner id, what will be done).
    pub actions: &'static [(&'static str, &'static str)],
    /// What helped: (contributor id, words).
    pub helped: &'static [(&'static str, &'static str)],
    /// The person's words at review when the outcome was met.
    pub met: &'static [&'static str],
    /// The person's words at review when it was partly or not met.
    pub unmet: &'static [&'static str],
}

/// Words for a process outcome, asked at review as the experience of support.
pub struct ProcessText {
    pub id: &'static str,
    pub good: &'static [&'static str],
    pub mixed: &'static [&'static str],
    pub poor: &'static [&'static str],
}

pub fn outcome(id: &str) -> Option<&'static OutcomeText> {
    ADULT.iter().chain(CARER.iter()).find(|o| o.id == id)
}

pub fn process(id: &str) -> Option<&'static ProcessText> {
    PROCESS.iter().find(|o| o.id == id)
}

/// Used for outcomes a partnership has added to its own forms.
pub const GENERIC: OutcomeText = OutcomeText {
    id: "",
    own: &[
        "{Label} is what matters most to me just now.",
        "I'd like things to be better with {label}.",
        "I've been struggling with {label} since last winter.",
    ],
    why: &[
        "It makes a difference to every day.",
        "Without it I can't live the way I want to.",
        "{Rel_name} has noticed it too.",
    ],
    statement: &[
        "I want to feel things are right with {label}.",
        "I want to be more in control of {label}.",
    ],
    actions: &[
        ("service", "{Worker} to look into what support is available"),
        ("person", "Keep a note of what helps and what doesn't"),
        ("family_friends", "{Rel_name} to help me get started"),
    ],
    helped: &[],
    met: &["That's much better now."],
    unmet: &["It's still not where I'd like it to be."],
};

pub const GENERIC_PROCESS: ProcessText = ProcessText {
    id: "",
    good: &[
        "I've no complaints at all.",
        "They've been very good with me.",
    ],
    mixed: &["It depends who you get.", "Mostly fine, the odd hiccup."],
    poor: &["It's not been good, to be honest.", "I've felt let down."],
};

const ADULT: &[OutcomeText] = &[
    OutcomeText {
        id: "feeling_safe",
        own: &[
            "I want to feel safe in my own house again, especially {time}.",
            "Since the fall I'm feart of {worry}.",
            "I don't like {worry}. It plays on my mind.",
            "I need to know somebody will come if I press the button.",
            "I want to be able to answer the door without worrying who it is.",
            "There were lads hanging about the close and I stopped going out after dark.",
            "I just want to feel safe when I'm out at {place}.",
            "I worry about {worry}, and {rel_name} worries about it even more.",
            "I had a man at the door saying he was from the council and he wasn't. I've not been right since.",
            "I keep getting phone calls about my bank and I don't know who to believe.",
        ],
        why: &[
            "I've lived here forty years and I don't want to be frightened in my own home.",
            "If I don't feel safe I won't go out, and then I'll just sit in.",
            "{Rel_name} works full time and can't be checking on me every hour.",
            "I lay on the floor for three hours last winter and I never want that again.",
            "Being frightened wears you down.",
            "I want {rel_name} to stop worrying about me.",
        ],
        statement: &[
            "I want to feel safe at home {time}.",
            "I want to know help will come quickly if I fall.",
            "I want to get out to {place} without feeling anxious.",
            "I want to stop worrying about {worry}.",
            "I want to feel safe answering my door and my phone.",
        ],
        actions: &[
            ("service", "Community alarm fitted and tested with me"),
            ("service", "OT to look at grab rails and a second banister"),
            ("other", "Scottish Fire and Rescue home fire safety visit"),
            ("family_friends", "{Rel_name} to phone every evening at six"),
            (
                "person",
                "Wear the pendant alarm all day, including in the bath",
            ),
            ("other", "Housing to fit a door viewer and a key safe"),
            ("service", "Referral to the falls prevention service"),
            (
                "other",
                "Trading Standards to put me on the call blocker list",
            ),
            (
                "community",
                "Neighbour to keep a spare key and look in if the curtains are shut",
            ),
        ],
        helped: &[
            (
                "services",
                "The alarm gives me peace of mind. They answered in seconds when I tested it.",
            ),
            (
                "family_friends",
                "{Rel_name} phoning every night made a big difference.",
            ),
            (
                "person",
                "I've got into the habit of wearing the pendant, even in bed.",
            ),
            (
                "community",
                "The neighbours keep an eye out and take my bins in.",
            ),
            (
                "services",
                "The falls class taught me how to get up if I go down.",
            ),
        ],
        met: &[
            "I sleep better now I know someone will come.",
            "I feel much safer in the house. I'm not watching the door all night.",
            "The call blocker has stopped all those calls. What a relief.",
        ],
        unmet: &[
            "I still don't like being on my own after dark.",
            "I'm still frightened to go out after what happened.",
            "I keep forgetting to wear the pendant.",
        ],
    },
    OutcomeText {
        id: "having_things_to_do",
        own: &[
            "I miss {hobby}. I used to be out every {day}.",
            "The days are awful long. I'd like something to get me out the house.",
            "I'd love to get back to {hobby}.",
            "I was always busy with {hobby} before all this.",
            "I'd like something to look forward to in the week, maybe {group}.",
            "I want to do something useful. I'm no used to sitting about.",
            "I'd like to try {group}; {rel_name} says it's good.",
            "I'd like a wee job, even a few hours' volunteering.",
            "I just watch the telly all day and I'm sick of it.",
        ],
        why: &[
            "It gives me a reason to get up in the morning.",
            "When I've nothing to do I sit and think, and that's no good for me.",
            "It's who I am. I've done it since I was young.",
            "It keeps my mind going.",
            "I feel like myself when I'm busy.",
            "My days have no shape to them just now.",
        ],
        statement: &[
            "I want to get back to {hobby}.",
            "I want to be out doing something I enjoy at least once a week.",
            "I want to try {group} and see if I like it.",
            "I want to have something to look forward to each week.",
            "I want to do some volunteering.",
        ],
        actions: &[
            ("community", "Link worker to find me a place at {group}"),
            (
                "family_friends",
                "{Rel_name} to take me to {hobby} for the first few weeks",
            ),
            ("person", "Phone the organiser and ask about joining"),
            ("service", "Day Opportunities taster session on a {day}"),
            ("other", "Apply for a National Entitlement bus pass"),
            ("service", "Support worker to come with me the first time"),
            (
                "community",
                "Volunteer centre to look for a few hours that suit me",
            ),
        ],
        helped: &[
            (
                "community",
                "Everyone at {group} made me welcome from the first day.",
            ),
            (
                "family_friends",
                "{Rel_name} took me the first few times until I got my confidence.",
            ),
            (
                "person",
                "I made myself go even when I didn't feel like it.",
            ),
            (
                "services",
                "{Worker} found out about the group and got me a place.",
            ),
        ],
        met: &[
            "I'm out every {day} now and I look forward to it all week.",
            "I'm back to {hobby} and it's made all the difference.",
            "I've made new pals. I wish I'd done it years ago.",
        ],
        unmet: &[
            "I haven't managed to get back to {hobby} yet.",
            "The days are still long.",
            "I went once but it wasn't for me.",
        ],
    },
    OutcomeText {
        id: "seeing_people",
        own: &[
            "I don't see anybody from one day to the next apart from the carers.",
            "I want to see more of {rel}.",
            "I'd like to get back to {group}. That's where all my pals are.",
            "Since I was widowed the house is awful quiet.",
            "I get lonely, especially {time}.",
            "I'd like to get to {worship} and see folk.",
            "My family are all away. {Rel_name} is in Aberdeen and I only see them at Christmas.",
            "I miss having a blether with folk.",
            "I used to go to {place} just to see who was about.",
        ],
        why: &[
            "You need people. I go days without speaking to anybody.",
            "{Rel_name} is the light of my life.",
            "I've known those folk for fifty years.",
            "The loneliness is worse than any of my health problems.",
            "I'm a people person. Always have been.",
        ],
        statement: &[
            "I want to see people I care about every week.",
            "I want to get back to {group}.",
            "I want to see {rel} more often.",
            "I want to have a good blether with somebody most days.",
        ],
        actions: &[
            (
                "community",
                "Befriending service to match me with a volunteer",
            ),
            (
                "family_friends",
                "{Rel_name} to set up video calls on the tablet on {day}s",
            ),
            ("other", "Community transport booked for {group}"),
            ("service", "Link worker to introduce me at the lunch club"),
            ("person", "Invite my neighbour in for a cup of tea"),
            ("community", "Church to arrange a lift on Sundays"),
            ("other", "Telephone friendship service to call twice a week"),
        ],
        helped: &[
            (
                "community",
                "My befriender comes every {day} and we go for a coffee.",
            ),
            (
                "family_friends",
                "The video calls with {rel_name}. I can see the weans growing up.",
            ),
            (
                "services",
                "{Worker} got me on the community transport list.",
            ),
            ("person", "I made the effort to go even when it was hard."),
        ],
        met: &[
            "I've got folk to talk to now. It's made a world of difference.",
            "I see {rel_name} every week now.",
            "I'm never in on a {day} now!",
        ],
        unmet: &[
            "I'm still on my own most of the time.",
            "I still haven't been back to {group}.",
            "The phone calls are nice but it's not the same as seeing somebody.",
        ],
    },
    OutcomeText {
        id: "staying_well",
        own: &[
            "I want to keep as well as I can so I can stay at home.",
            "I'd like to eat better. I can't be bothered cooking for one.",
            "I want to keep active. If I stop moving I'll seize up.",
            "I need to get on top of my tablets, I keep getting mixed up.",
            "I want to stop smoking. I've tried before.",
            "I want to sleep better and not feel so tired all the time.",
            "I want to keep my sugars steady.",
            "I'd like to cut down on the drink.",
        ],
        why: &[
            "I don't want to end up back in hospital.",
            "I want to be around for {rel_name}.",
            "When I'm well I can do everything myself.",
            "My mother went downhill fast and I don't want that.",
            "I feel better in myself when I look after myself.",
        ],
        statement: &[
            "I want to stay out of hospital this winter.",
            "I want to manage my tablets myself without mix-ups.",
            "I want to eat at least one proper meal a day.",
            "I want to stay active and keep my strength up.",
            "I want to be smoke-free by {when}.",
        ],
        actions: &[
            (
                "service",
                "Pharmacist to set up a blister pack and review my medicines",
            ),
            ("person", "Walk to the end of the road and back every day"),
            (
                "service",
                "@District Nursing|District nurse to check bloods monthly",
            ),
            ("community", "Place at the lunch club two days a week"),
            ("other", "Stop-smoking appointment at the pharmacy"),
            (
                "family_friends",
                "{Rel_name} to help with the online shopping order",
            ),
            ("other", "Alcohol and drug partnership drop-in"),
            ("service", "Dietitian referral"),
        ],
        helped: &[
            (
                "services",
                "The blister pack means I don't get mixed up any more.",
            ),
            ("person", "I've kept up my walking, even in the rain."),
            (
                "community",
                "The lunch club means I get a hot meal and company.",
            ),
            (
                "family_friends",
                "{Rel_name} does my shopping order so there's always something in.",
            ),
        ],
        met: &[
            "I've not been in hospital once this year.",
            "I feel better in myself than I have for a long time.",
            "Three months off the cigarettes!",
        ],
        unmet: &[
            "I had a bad chest infection and it set me back.",
            "I'm still not eating right.",
            "I went back on the cigarettes after the funeral.",
        ],
    },
    OutcomeText {
        id: "living_as_you_want",
        own: &[
            "I want to stay in my own home for as long as I can.",
            "I don't want to go into a home. This is my house.",
            "I want to be able to get upstairs to my own bed.",
            "I'd like to move somewhere on the ground floor near {rel_name}.",
            "I want to decide for myself when I get up and when I go to bed.",
            "@Learning Disability Team,Community Mental Health|I'd like my own flat, with support, not a shared house.",
            "@Hospital Discharge Team|I want to get home from hospital before {when}.",
            "@Home Care,Older People's Team|The carers come at half seven and put me to bed at seven at night. That's no life.",
        ],
        why: &[
            "I've lived in {town} all my days. Everything I know is here.",
            "We brought up our family in this house.",
            "I want to be independent, not told what to do.",
            "{Pet} wouldn't be allowed in a home.",
            "It's my home. My things are here.",
        ],
        statement: &[
            "I want to stay living in my own home in {town}.",
            "@Hospital Discharge Team,Reablement|I want to get home from hospital and manage there.",
            "I want to choose my own routine.",
            "I want to move to a ground-floor flat near {rel_name}.",
            "@Learning Disability Team,Community Mental Health|I want a place of my own with the right support.",
        ],
        actions: &[
            (
                "other",
                "Housing association to assess for a stairlift or a move",
            ),
            (
                "service",
                "@Hospital Discharge Team,Occupational Therapy,Reablement|OT home visit before discharge",
            ),
            (
                "service",
                "Home care to move the morning visit to suit my routine",
            ),
            (
                "family_friends",
                "{Rel_name} to help set up a bedroom downstairs",
            ),
            ("person", "Put my name down for sheltered housing in {town}"),
            ("other", "Care and Repair to fix the back step"),
            (
                "service",
                "Self-directed support: option 2 so I can choose my provider",
            ),
            (
                "service",
                "@Learning Disability Team,Community Mental Health|Social worker to look at supported tenancies",
            ),
        ],
        helped: &[
            (
                "services",
                "@Home Care,Older People's Team|Moving the visit times means I get up when I want.",
            ),
            (
                "family_friends",
                "{Rel_name} sorted the bedroom downstairs in a weekend.",
            ),
            ("services", "The stairlift went in quicker than I expected."),
            ("person", "I stood my ground about staying at home."),
        ],
        met: &[
            "@Hospital Discharge Team,Reablement|I'm home, and that's all I wanted.",
            "@Learning Disability Team,Community Mental Health|I love my new flat. My own front door!",
            "I'm still in my own house and managing fine.",
        ],
        unmet: &[
            "Still waiting on the housing.",
            "@Home Care,Older People's Team,Hospital Discharge Team|I'm home but the visit times still don't suit.",
            "I'm not sure how much longer I can manage the stairs.",
        ],
    },
    OutcomeText {
        id: "dealing_with_stigma",
        own: &[
            "People look at me differently since I've been in the wheelchair.",
            "I don't want folk to know about my mental health. They talk.",
            "Folk in the shop speak to my carer instead of me.",
            "I get called names in the street.",
            "People think I'm stupid because my English isn't good.",
            "I'm fed up being treated like I'm no capable.",
            "The job centre treated me like I was at it.",
        ],
        why: &[
            "I'm still the same person I always was.",
            "It stops me going out.",
            "It makes me feel small.",
            "I want respect, that's all.",
        ],
        statement: &[
            "I want to feel confident going out without worrying what folk think.",
            "I want people to speak to me, not about me.",
            "I want to know what to do if I'm harassed.",
            "I want to feel proud of who I am.",
        ],
        actions: &[
            (
                "community",
                "Peer support group at the mental health charity",
            ),
            (
                "other",
                "Report the harassment to Police Scotland with support",
            ),
            ("person", "Practise what I'll say if it happens again"),
            ("community", "Go along to the See Me group in {town}"),
            ("service", "Advocacy referral"),
            ("other", "ESOL English classes at the college"),
        ],
        helped: &[
            (
                "community",
                "Meeting others who've been through it. I'm not the only one.",
            ),
            (
                "services",
                "The advocate came with me and made sure I was heard.",
            ),
            ("person", "I've started speaking up for myself."),
        ],
        met: &[
            "I hold my head up now.",
            "I don't let it bother me like it did.",
        ],
        unmet: &[
            "It still happens and it still hurts.",
            "I still avoid {place}.",
        ],
    },
    OutcomeText {
        id: "confidence_morale",
        own: &[
            "I've lost my confidence since the fall. I don't trust myself.",
            "I feel useless, like I'm a burden on everybody.",
            "I'd like to feel more like my old self.",
            "I get anxious going out; my heart races.",
            "I want to be able to go to {place} on my own again without panicking.",
            "Since the stroke I don't feel like me.",
        ],
        why: &[
            "I used to be the one everyone came to.",
            "I don't want to spend the rest of my life scared.",
            "I can't enjoy anything when I feel this low.",
            "{Rel_name} says I've changed and I know I have.",
        ],
        statement: &[
            "I want to feel confident going to {place} on my own.",
            "I want to feel more like myself again.",
            "I want to manage my anxiety so I can get out.",
        ],
        actions: &[
            (
                "service",
                "@Reablement|Reablement worker to walk to {place} with me, then step back",
            ),
            (
                "service",
                "@Community Link Workers,Community Mental Health,Older People's Team|{Worker} to come with me to {place} the first couple of times",
            ),
            (
                "service",
                "@Community Mental Health|CPN appointments fortnightly",
            ),
            ("person", "Try the breathing exercises when I feel panicky"),
            ("community", "Join {group}"),
            ("other", "Online CBT course through the GP"),
            (
                "family_friends",
                "{Rel_name} to encourage me to do one thing a day",
            ),
        ],
        helped: &[
            ("services", "{Worker} believed in me when I didn't."),
            ("person", "I pushed myself a wee bit further every week."),
            ("family_friends", "{Rel_name} never gave up on me."),
        ],
        met: &[
            "I feel like me again.",
            "I went to {place} on my own last week. I was that proud.",
        ],
        unmet: &[
            "Some days are still hard.",
            "I still won't go out on my own.",
        ],
    },
    OutcomeText {
        id: "skills",
        own: &[
            "I want to be able to make my own meals again.",
            "I'd like to learn to use the tablet so I can do my own shopping online.",
            "I want to manage my own money.",
            "I want to be able to get myself washed and dressed.",
            "@Learning Disability Team,Day Opportunities,Community Link Workers|I'd like to learn to use the bus on my own.",
            "@Sensory Impairment|Since my sight went I can't read my own letters.",
            "@Sensory Impairment|I want to get about {town} with my cane, like I used to without it.",
            "I want to be able to manage {task} myself.",
        ],
        why: &[
            "I hate having to wait on somebody to do it for me.",
            "I want to be independent.",
            "It's my dignity.",
            "So {rel_name} doesn't have to do everything.",
        ],
        statement: &[
            "I want to make my own breakfast and lunch.",
            "I want to manage {task} myself.",
            "@Learning Disability Team,Day Opportunities,Community Link Workers|I want to travel on the bus to {place} on my own.",
            "@Sensory Impairment|I want to read my own post with the magnifier.",
            "@Sensory Impairment|I want to walk to {place} on my own with my cane.",
            "I want to do my own online shopping.",
        ],
        actions: &[
            (
                "service",
                "@Reablement,Home Care,Occupational Therapy|Reablement to practise kitchen tasks three times a week",
            ),
            (
                "service",
                "@Learning Disability Team,Day Opportunities|Cooking group at the day centre every {day}",
            ),
            (
                "service",
                "OT to provide a perching stool and kettle tipper",
            ),
            ("community", "Digital skills class at the library"),
            (
                "person",
                "@Learning Disability Team,Day Opportunities,Community Link Workers|Practise the bus route with my support worker",
            ),
            (
                "service",
                "@Sensory Impairment|Sensory team to provide a talking microwave and tactile bump-ons",
            ),
            (
                "other",
                "@Sensory Impairment|RNIB to show me the magnifier and large-print options",
            ),
            ("family_friends", "{Rel_name} to show me online banking"),
            (
                "service",
                "@Sensory Impairment|Rehabilitation worker for mobility training with the long cane",
            ),
        ],
        helped: &[
            (
                "services",
                "Practising with {worker} until I had it off pat.",
            ),
            ("person", "I kept at it. Practice makes perfect."),
            ("community", "The library class was very patient with me."),
        ],
        met: &[
            "I'm making my own dinner now!",
            "I did my own shopping online. Easy when you know how.",
        ],
        unmet: &[
            "I can do some of it but I still need a hand.",
            "I get muddled with it.",
        ],
    },
    OutcomeText {
        id: "mobility",
        own: &[
            "I want to walk to {place} again.",
            "I want to get up and down the stairs safely.",
            "I'd like to get out to the garden.",
            "I want to be able to get in and out the car so {rel_name} can take me out.",
            "I want to walk without the frame.",
            "I want to be able to walk {pet} again.",
        ],
        why: &[
            "If I can't get out I'm a prisoner in my own house.",
            "I've always been a walker.",
            "So I'm not stuck upstairs all day.",
            "I want to get about by myself.",
        ],
        statement: &[
            "I want to walk to {place} with my stick.",
            "I want to manage the stairs on my own.",
            "I want to get in and out the car.",
            "I want to get out into the garden every day.",
        ],
        actions: &[
            ("service", "Physio exercise programme, reviewed weekly"),
            ("service", "OT to fit a second stair rail"),
            ("person", "Do my exercises twice a day"),
            ("other", "Wheelchair service assessment"),
            (
                "family_friends",
                "{Rel_name} to walk with me at the weekends",
            ),
            (
                "community",
                "Strength and balance class at the community centre",
            ),
        ],
        helped: &[
            (
                "services",
                "The physio's exercises. I didn't believe they'd work but they did.",
            ),
            (
                "person",
                "I did the exercises every day, even when I didn't want to.",
            ),
            ("family_friends", "{Rel_name} walking with me at weekends."),
        ],
        met: &[
            "I walked to {place} and back on Tuesday!",
            "I'm up and down the stairs no bother.",
        ],
        unmet: &[
            "My legs just aren't what they were.",
            "I still need the frame.",
        ],
    },
    OutcomeText {
        id: "reduced_symptoms",
        own: &[
            "I want {symptom} to be better so I can sleep.",
            "{Symptom} stops me doing anything.",
            "I'd like to get my breathing better so I can get to the shops.",
            "I want the swelling in my legs down so I can get my shoes on.",
            "The pain is there all the time and it gets me down.",
        ],
        why: &[
            "I can't do anything when it's bad.",
            "It's wearing me down.",
            "I want to enjoy the time I've got.",
            "I can't plan anything because I never know how I'll be.",
        ],
        statement: &[
            "I want {symptom} to be manageable.",
            "I want to sleep through the night.",
            "I want to walk to the shop without getting breathless.",
        ],
        actions: &[
            (
                "service",
                "@District Nursing,Older People's Team,Home Care|District nurse to review pain relief",
            ),
            ("service", "GP medication review"),
            ("person", "Keep a symptom diary"),
            ("service", "Pulmonary rehab course"),
            (
                "community",
                "Chest, Heart & Stroke Scotland breathing group",
            ),
            (
                "family_friends",
                "{Rel_name} to help me remember the evening tablets",
            ),
        ],
        helped: &[
            ("services", "The new tablets have taken the edge off."),
            (
                "person",
                "Keeping the diary helped the nurse see the pattern.",
            ),
            (
                "community",
                "The breathing group taught me how to pace myself.",
            ),
        ],
        met: &[
            "I slept right through for the first time in months.",
            "The pain's much easier. I can get on with things.",
        ],
        unmet: &["Still sore most days.", "The breathlessness is no better."],
    },
];

const CARER: &[OutcomeText] = &[
    OutcomeText {
        id: "cared_for_quality_of_life",
        own: &[
            "I want {cf} to still enjoy life.",
            "I want {cf} to get out. {Cf_he} used to love being outdoors.",
            "I'd like {cf} to have a day centre place so {cf_he} sees other folk.",
            "I want {cf} to have proper support when I'm not there.",
            "I want {cf} to be comfortable and not in pain.",
            "I want {cf} to be treated as a person, not a condition.",
        ],
        why: &[
            "{Cf_he} has worked hard all {cf_his} life and deserves better.",
            "It breaks my heart seeing {cf_him} sitting in the chair all day.",
            "When {cf_he}'s happy, I'm happy.",
            "I promised I'd look after {cf_him}.",
        ],
        statement: &[
            "I want {cf} to have something to do during the day.",
            "I want {cf} to get out at least twice a week.",
            "I want {cf} to be settled and well cared for.",
        ],
        actions: &[
            ("service", "Day centre place two days a week for {cf}"),
            (
                "community",
                "@dementia,memory problems|Activity group at the Alzheimer Scotland resource centre",
            ),
            (
                "community",
                "Day activities for {cf} through a local charity",
            ),
            ("service", "Social worker to review {cf_his} care package"),
            ("family_friends", "My brother to take {cf} out on Sundays"),
            ("other", "GP to review {cf_his} pain relief"),
        ],
        helped: &[
            (
                "services",
                "The day centre. {Cf_he} comes home chatting about it.",
            ),
            (
                "family_friends",
                "The family taking turns to take {cf_him} out.",
            ),
            ("community", "The music group. {Cf_he} loves the singing."),
        ],
        met: &[
            "{Cf_he}'s happier than I've seen {cf_him} in years.",
            "{Cf_he} goes out twice a week now and it's done {cf_him} the world of good.",
        ],
        unmet: &[
            "{Cf_he} didn't settle at the day centre.",
            "{Cf_his} health has gone downhill.",
        ],
    },
    OutcomeText {
        id: "health_wellbeing",
        own: &[
            "I'm exhausted. I can't remember the last time I slept right through.",
            "I need to get my own hip seen to but I can't leave {cf}.",
            "My nerves are shot.",
            "I've not been to the doctor for myself in two years.",
            "I need a break, even just a few hours.",
            "I'm up three or four times a night with {cf}.",
        ],
        why: &[
            "If I go down, who looks after {cf}?",
            "I can't keep going like this.",
            "I want to be well enough to keep caring.",
            "I'm no use to anybody if I'm ill.",
        ],
        statement: &[
            "I want to get a full night's sleep most nights.",
            "I want to go to my own appointments.",
            "I want a regular break from caring.",
            "I want to look after my own health.",
        ],
        actions: &[
            (
                "service",
                "Carers Centre to complete my Adult Carer Support Plan",
            ),
            ("service", "Short break funding application"),
            ("person", "Book a GP appointment for myself"),
            ("community", "Carers' relaxation class on {day}s"),
            (
                "family_friends",
                "My sister to sit with {cf} so I can get out",
            ),
            ("other", "Sitter service through the local charity"),
            ("service", "Overnight support two nights a week"),
        ],
        helped: &[
            (
                "services",
                "The short break. I came back a different person.",
            ),
            (
                "family_friends",
                "My sister sitting in on a {day} so I can get out.",
            ),
            (
                "community",
                "The relaxation class. An hour that's just mine.",
            ),
            ("person", "I finally went to the doctor about my hip."),
        ],
        met: &[
            "I'm sleeping better than I have in years.",
            "I've had my hip done and I'm back on my feet.",
        ],
        unmet: &[
            "I'm still running on empty.",
            "I still haven't had time for my own appointments.",
        ],
    },
    OutcomeText {
        id: "life_of_own",
        own: &[
            "I want some time that's just mine.",
            "I gave up {hobby} when {cf_he} got worse. I miss it.",
            "I'd love to go away for a weekend.",
            "I want to keep working. My job keeps me sane.",
            "I haven't seen my pals in months.",
        ],
        why: &[
            "I'm more than a carer.",
            "I need something for me.",
            "I don't want to lose myself.",
            "Work is the one place I'm not the carer.",
        ],
        statement: &[
            "I want to get back to {hobby} once a week.",
            "I want to keep my job.",
            "I want a weekend away once this year.",
            "I want an evening out with my pals every month.",
        ],
        actions: &[
            ("service", "Respite week booked"),
            ("other", "Employer to agree flexible hours"),
            (
                "community",
                "Short breaks fund application through the Carers Centre",
            ),
            ("family_friends", "My son to cover {day} evenings"),
            ("person", "Ask my manager about the carers' leave policy"),
        ],
        helped: &[
            (
                "family_friends",
                "My son covering a {day} evening so I get out.",
            ),
            (
                "services",
                "The respite week. I'd forgotten what it felt like.",
            ),
            (
                "community",
                "The short breaks money paid for the weekend away.",
            ),
            ("person", "I've learned to ask for help."),
        ],
        met: &[
            "I'm back to {hobby} and I look forward to it all week.",
            "We had the weekend away. I cried when I got there, in a good way.",
        ],
        unmet: &[
            "I still don't get any time to myself.",
            "I had to give up work in the end.",
        ],
    },
    OutcomeText {
        id: "positive_relationship",
        own: &[
            "I want us to have time together that isn't about caring.",
            "We used to laugh all the time. Now it's all tablets and appointments.",
            "I want to be family again, not just the carer.",
            "I lose my temper and then I feel guilty.",
            "@dementia,memory problems|{Cf_he} doesn't always know me now and it's hard.",
        ],
        why: &[
            "It's the relationship that keeps me going.",
            "I don't want to resent {cf_him}.",
            "We've been through a lot together.",
        ],
        statement: &[
            "I want time with {cf} that isn't about caring.",
            "I want to feel less on edge with {cf}.",
            "I want us to enjoy being together again.",
        ],
        actions: &[
            (
                "service",
                "Home care to do personal care so I don't have to",
            ),
            (
                "community",
                "@dementia,memory problems|Memory café together on {day}s",
            ),
            ("community", "Community café afternoon together on {day}s"),
            ("person", "Plan one outing together each month"),
            (
                "service",
                "@dementia,memory problems|Dementia link worker for advice on the difficult times",
            ),
            (
                "service",
                "Specialist nurse for advice on the difficult times",
            ),
        ],
        helped: &[
            (
                "services",
                "Having the carers do the personal care. I'm family again.",
            ),
            ("community", "The café afternoons. We enjoy them together."),
            ("person", "I plan something nice for us once a month."),
        ],
        met: &[
            "We're getting on much better. We even laughed the other day.",
            "I'm {cf_his} family again, not just the nurse.",
        ],
        unmet: &[
            "It's still hard. {Cf_he}'s changed so much.",
            "We still argue more than I'd like.",
        ],
    },
    OutcomeText {
        id: "financial_freedom",
        own: &[
            "The money's a constant worry since I had to cut my hours.",
            "The heating bills are frightening. {Cf} feels the cold.",
            "I didn't know I could claim anything.",
            "We're using our savings just to get by.",
        ],
        why: &[
            "Money worries keep me up at night.",
            "I don't want to lose the house.",
            "I gave up my job to care.",
        ],
        statement: &[
            "I want to be getting all the money we're entitled to.",
            "I want to stop worrying about the bills.",
        ],
        actions: &[
            (
                "other",
                "Welfare rights check: Carer Support Payment and Attendance Allowance",
            ),
            ("other", "Apply to the energy company's hardship fund"),
            ("service", "Carers Centre money advice appointment"),
            ("person", "Gather the paperwork for the benefits form"),
        ],
        helped: &[
            (
                "services",
                "The money advice worker found benefits I'd never heard of.",
            ),
            ("person", "I finally filled in the forms."),
        ],
        met: &[
            "The Carer Support Payment came through. What a weight off.",
            "We're managing now.",
        ],
        unmet: &[
            "Still waiting to hear about the claim.",
            "The bills keep going up.",
        ],
    },
    OutcomeText {
        id: "choices_in_caring",
        own: &[
            "I never chose this. It just happened.",
            "I can't do the personal care any more. It's not right for {cf_him} or for me.",
            "I want to be able to say no without feeling guilty.",
            "I need to think about what happens if I can't do it any more.",
        ],
        why: &[
            "I'm not getting any younger either.",
            "It's too much for one person.",
            "I have my own family to think about.",
        ],
        statement: &[
            "I want carers to do the personal care.",
            "I want a plan for if I'm ill.",
            "I want to decide how much caring I do.",
        ],
        actions: &[
            (
                "service",
                "Emergency plan written and lodged with the Carers Centre",
            ),
            (
                "service",
                "Review of {cf_his} care package to add personal care",
            ),
            ("person", "Talk to {cf} about what we both want"),
            ("community", "Carers' support group"),
        ],
        helped: &[
            ("services", "Having the emergency plan. I sleep easier."),
            ("community", "The support group. Other carers get it."),
        ],
        met: &[
            "I feel I've got a choice now.",
            "The emergency plan is in place and I know {cf} will be looked after.",
        ],
        unmet: &[
            "I'm still doing everything.",
            "There's no one else to do it.",
        ],
    },
    OutcomeText {
        id: "informed_skilled_equipped",
        own: &[
            "Nobody told me what to expect with {cf_his} {cond}.",
            "I want to know how to move {cf_him} without hurting my back.",
            "I need to know who to phone at night if something happens.",
            "I'd like to understand {cf_his} medication.",
        ],
        why: &[
            "I'm doing my best but I'm guessing.",
            "I'm frightened of doing something wrong.",
            "Knowing what's coming helps me plan.",
        ],
        statement: &[
            "I want to understand {cf_his} {cond} and what might happen.",
            "I want to feel confident moving {cf_him} safely.",
            "I want to know who to call, day or night.",
        ],
        actions: &[
            ("service", "Moving and handling training at home"),
            ("community", "Carers' course on living with {cond}"),
            ("service", "Nurse to go over the medication with me"),
            (
                "service",
                "Carers Centre information pack and emergency contacts",
            ),
        ],
        helped: &[
            (
                "services",
                "The moving and handling training. My back thanks them.",
            ),
            ("community", "The course. I understand so much more now."),
        ],
        met: &[
            "I know what I'm doing now.",
            "I've got the numbers on the fridge and I know who to call.",
        ],
        unmet: &["I still feel out of my depth some days."],
    },
    OutcomeText {
        id: "satisfaction_in_caring",
        own: &[
            "I want to feel I'm doing a good job.",
            "Some days I feel I get nothing right.",
            "I'd like somebody to tell me I'm doing okay.",
        ],
        why: &[
            "It matters to me that {cf_he} is well looked after.",
            "I'm proud of what we manage.",
        ],
        statement: &[
            "I want to feel good about the care I give.",
            "I want to feel I'm doing enough.",
        ],
        actions: &[
            ("community", "Carers' peer support group"),
            ("service", "Regular check-in call from the Carers Centre"),
        ],
        helped: &[
            ("community", "The other carers at the group."),
            (
                "services",
                "{Worker} telling me I was doing a good job. I needed to hear it.",
            ),
        ],
        met: &["I know I'm doing my best, and that's enough."],
        unmet: &["I still feel guilty most days."],
    },
    OutcomeText {
        id: "partnership_with_services",
        own: &[
            "I want to be asked, not told. I know {cf_him} better than anyone.",
            "I'm never told when {cf_his} carers are changed.",
            "@Hospital Discharge Team|I want to be included in {cf_his} discharge meeting.",
            "I want services to work with me, not round me.",
        ],
        why: &[
            "I'm the one who's there 24 hours a day.",
            "When they don't tell me things, I can't plan.",
            "I see the changes before anyone else does.",
        ],
        statement: &[
            "I want to be involved in decisions about {cf_his} care.",
            "I want to be told about changes to {cf_his} care.",
        ],
        actions: &[
            ("service", "Named contact in the team for me as the carer"),
            ("service", "Invite me to the review of {cf_his} care"),
            (
                "other",
                "@Hospital Discharge Team,Older People's Team|Ward to include me in discharge planning",
            ),
        ],
        helped: &[(
            "services",
            "Having a named contact. One phone call and it's sorted.",
        )],
        met: &["I feel part of the team now."],
        unmet: &["I still find out about changes after they've happened."],
    },
];

const PROCESS: &[ProcessText] = &[
    ProcessText {
        id: "listened_to",
        good: &[
            "{Worker} really listens. I never feel rushed.",
            "They listened to what I wanted, not what they thought I needed.",
            "For the first time somebody actually heard me.",
        ],
        mixed: &[
            "Some of them listen, some of them don't.",
            "I had to say it three times but they got there.",
        ],
        poor: &[
            "It goes in one ear and out the other.",
            "I felt like a box being ticked.",
        ],
    },
    ProcessText {
        id: "having_a_say",
        good: &[
            "It was my plan. I chose what went in it.",
            "I had the final say and that mattered.",
        ],
        mixed: &[
            "I had a say in some things but the times were decided for me.",
            "They asked me, but I'm not sure it made a difference.",
        ],
        poor: &[
            "It was all decided before I was asked.",
            "Nobody asked me what I wanted.",
        ],
    },
    ProcessText {
        id: "treated_with_respect",
        good: &[
            "They always knock and wait. Little things like that matter.",
            "They treat me like a person, not a job.",
            "{Worker} always calls me by my name and has time for me.",
        ],
        mixed: &[
            "Mostly, but some of the young ones talk over me.",
            "The regular ones are lovely. The agency ones not so much.",
        ],
        poor: &[
            "I was spoken about as if I wasn't in the room.",
            "They rush in and rush out. No respect for my home.",
        ],
    },
    ProcessText {
        id: "responded_to",
        good: &[
            "When I phoned, somebody came the same day.",
            "They sorted it quickly once I'd asked.",
        ],
        mixed: &[
            "It got sorted in the end but it took a few phone calls.",
            "Some things were quick, some took weeks.",
        ],
        poor: &[
            "I've been waiting months for an answer.",
            "I phoned and phoned and nobody got back to me.",
        ],
    },
    ProcessText {
        id: "reliability",
        good: &[
            "They come when they say they'll come. You could set your watch by them.",
            "Same faces, same times. That's what I need.",
        ],
        mixed: &[
            "Mostly on time, but weekends are hit and miss.",
            "Different faces every week, but they do turn up.",
        ],
        poor: &[
            "I never know who's coming or when.",
            "They missed three visits in a fortnight and nobody phoned.",
        ],
    },
    ProcessText {
        id: "valued_respected",
        good: &[
            "They recognise I know {cf} best.",
            "{Worker} treats me like the expert on {cf}. Because I am.",
        ],
        mixed: &["Some of them value what I do, some just see me as the next of kin."],
        poor: &[
            "I'm invisible. They talk to {cf} and ignore me, or the other way round.",
            "Nobody asks what I know.",
        ],
    },
    ProcessText {
        id: "say_in_services",
        good: &[
            "I was asked what would help and that's what we got.",
            "I had a real say in {cf_his} care plan.",
        ],
        mixed: &["I was asked, but the options were limited."],
        poor: &[
            "It was take it or leave it.",
            "The decisions were made without me.",
        ],
    },
    ProcessText {
        id: "flexible_responsive",
        good: &[
            "When {cf} got worse they changed things the same week.",
            "The support fits round our life, not the other way round.",
        ],
        mixed: &["They try, but it takes a while to change anything."],
        poor: &[
            "We have to fit round them.",
            "When things changed it took months to get more help.",
        ],
    },
    ProcessText {
        id: "relationship_with_practitioners",
        good: &[
            "{Worker} is a godsend. I can tell {worker} anything and it goes no further.",
            "I can be honest with them and they don't judge.",
        ],
        mixed: &["I get on fine with them, but they keep changing."],
        poor: &["I've had four different workers this year. I've given up explaining."],
    },
    ProcessText {
        id: "accessible_available",
        good: &[
            "I knew exactly where to go and it didn't cost a penny.",
            "The Carers Centre is always there at the end of the phone.",
        ],
        mixed: &["Once you find the right door it's fine, but finding it is hard."],
        poor: &[
            "Nobody told me the Carers Centre existed until last year.",
            "The waiting list was months.",
        ],
    },
];

/// Strengths named at assessment, tagged with the resource they come from.
pub const STRENGTHS: &[(&str, &str)] = &[
    ("personal", "I'm determined. I don't give up easy."),
    ("personal", "I've a good sense of humour. You need it."),
    ("personal", "I know what I need."),
    ("personal", "I'm good with my hands."),
    ("personal", "My faith keeps me going."),
    ("personal", "I can use my tablet for video calls."),
    ("personal", "I've coped with worse."),
    ("personal", "I'm organised. I keep a diary of everything."),
    ("family_friends", "{Rel_name} is only ten minutes away."),
    ("family_friends", "Good neighbours who look in."),
    ("family_friends", "My family are very close."),
    ("family_friends", "A pal from {group} phones every week."),
    ("family_friends", "{Rel} helps with the shopping."),
    ("community", "The church is very supportive."),
    ("community", "I know everybody in {town}."),
    ("community", "The lunch club at the community centre."),
    ("community", "The local chemist delivers."),
    ("community", "The folk at {group}."),
];

/// Strengths only a carer would name.
pub const CARER_STRENGTHS: &[(&str, &str)] = &[
    ("personal", "I know {cf} better than anyone."),
    ("personal", "I'm patient, most days."),
    ("family_friends", "My sister helps when she can."),
    ("family_friends", "The family cheer us both up."),
    ("community", "The carers' group at the Carers Centre."),
    ("community", "The drop-in at the Carers Centre on a {day}."),
];

/// What got in the way, by barrier id. The third field: 0 anyone, 1 adults, 2 carers.
pub const HINDERED: &[(&str, u8, &str)] = &[
    (
        "health_change",
        1,
        "I had another fall and was in hospital for a fortnight.",
    ),
    ("health_change", 1, "{Symptom} got worse over the winter."),
    (
        "health_change",
        0,
        "I had a chest infection that knocked me right back.",
    ),
    (
        "health_change",
        2,
        "{Cf_his} health took a turn and everything else stopped.",
    ),
    (
        "health_change",
        2,
        "I had my own operation and couldn't do much for weeks.",
    ),
    (
        "service_unavailable_or_delayed",
        0,
        "The waiting list for the OT is months long.",
    ),
    (
        "service_unavailable_or_delayed",
        0,
        "There were no carers available for the morning run.",
    ),
    (
        "service_unavailable_or_delayed",
        0,
        "The group closed for the summer.",
    ),
    (
        "service_unavailable_or_delayed",
        0,
        "The referral got lost and had to be done again.",
    ),
    (
        "service_unavailable_or_delayed",
        0,
        "Staff shortages meant visits kept being cancelled.",
    ),
    (
        "service_unavailable_or_delayed",
        2,
        "There were no respite beds when we needed one.",
    ),
    ("transport", 0, "The bus only runs twice a day now."),
    ("transport", 0, "Community transport was always booked up."),
    ("transport", 0, "I can't afford taxis every week."),
    ("transport", 1, "{Rel_name} has no car now."),
    ("money", 0, "I couldn't afford the class fees."),
    (
        "money",
        0,
        "The heating costs meant cutting back on everything else.",
    ),
    ("money", 0, "The benefits took months to come through."),
    (
        "housing",
        1,
        "The flat's up three flights and there's no lift.",
    ),
    (
        "housing",
        0,
        "The housing association still hasn't fitted the rail.",
    ),
    ("housing", 0, "We're still waiting on a ground-floor move."),
    (
        "carer_or_family_circumstances",
        1,
        "{Rel_name} has been unwell so couldn't help as much.",
    ),
    (
        "carer_or_family_circumstances",
        0,
        "There's been a lot going on in the family.",
    ),
    (
        "carer_or_family_circumstances",
        1,
        "{Rel_name} started a new job and can't come as often.",
    ),
    (
        "carer_or_family_circumstances",
        2,
        "{Cf} was in hospital so everything else went on hold.",
    ),
    (
        "carer_or_family_circumstances",
        2,
        "Another of the family took ill as well, so I've been caring for two.",
    ),
    (
        "person_chose_differently",
        1,
        "I decided I'd rather spend my time with the grandchildren.",
    ),
    (
        "person_chose_differently",
        0,
        "I didn't fancy the group once I'd been.",
    ),
    (
        "person_chose_differently",
        0,
        "I changed my mind. It wasn't what I wanted after all.",
    ),
    (
        "communication",
        0,
        "Nobody told me the appointment had been changed.",
    ),
    (
        "communication",
        0,
        "It's hard on the phone without an interpreter.",
    ),
    (
        "communication",
        0,
        "The letters all went to the old address.",
    ),
    (
        "communication",
        1,
        "I couldn't hear what they were saying on the phone.",
    ),
    ("other", 0, "The weather was terrible most of the winter."),
    (
        "other",
        0,
        "The hall was closed for repairs for three months.",
    ),
    ("other", 0, "Covid went round the family."),
];

/// What helped, by contributor id, for any outcome.
pub const HELPED: &[(&str, u8, &str)] = &[
    ("person", 0, "I kept at it, even on the bad days."),
    (
        "person",
        0,
        "I asked for help when I needed it, which isn't like me.",
    ),
    ("family_friends", 1, "{Rel_name} has been brilliant."),
    ("family_friends", 0, "My family rallied round."),
    (
        "family_friends",
        2,
        "My sister stepped in more than I'd hoped.",
    ),
    ("community", 0, "The folk at {group} have been great."),
    ("community", 0, "The neighbours have been very good."),
    ("services", 0, "{Worker} went above and beyond."),
    (
        "services",
        0,
        "The team sorted things quickly once it was raised.",
    ),
    (
        "services",
        2,
        "The Carers Centre were on the end of the phone whenever I needed them.",
    ),
];

/// What helped with a process outcome (the experience of support).
pub const PROCESS_HELPED: &[(&str, u8, &str)] = &[
    ("services", 0, "{Worker} always phones back."),
    ("services", 0, "Having the same worker each time."),
    ("services", 0, "They took the time to explain things."),
    ("services", 0, "{Worker} came out the same week I asked."),
    (
        "services",
        2,
        "{Worker} asks how I am, not just how {cf} is.",
    ),
    ("person", 0, "I spoke up for myself this time."),
    (
        "family_friends",
        1,
        "{Rel_name} came along and made sure I was heard.",
    ),
    (
        "family_friends",
        2,
        "My sister came to the meeting with me.",
    ),
];

/// The person's words at review, by status, for any outcome.
pub const REVIEW_MET: &[&str] = &[
    "It's made a real difference.",
    "I'm really pleased with how it's gone.",
    "I never thought I'd get to this point.",
    "Things are so much better. Thank you.",
    "Aye, that's sorted now.",
    "Better than I hoped.",
];
pub const REVIEW_PARTLY: &[&str] = &[
    "It's better than it was, but there's still a way to go.",
    "Some weeks are good, some not so good.",
    "We're getting there.",
    "It's a start.",
    "Halfway there, I'd say.",
];
pub const REVIEW_NOT: &[&str] = &[
    "Nothing's really changed.",
    "I'm disappointed, to be honest.",
    "It's been a hard few months.",
    "I'm still waiting.",
    "I don't know what else can be done.",
];
pub const REVIEW_NLR: &[&str] = &[
    "That doesn't matter so much now. Things have moved on.",
    "I've decided that's not for me after all.",
    "Since I was in hospital, other things are more important.",
    "We've moved, so that's not an issue now.",
];

/// An occasional second sentence for what matters at assessment.
pub const EXTRAS: &[(u8, &str)] = &[
    (0, "That's the main thing for me."),
    (1, "I've said that to {rel_name} as well."),
    (0, "I don't want to be a bother, mind."),
    (0, "It's been like that since last winter."),
    (0, "I know it won't happen overnight."),
    (0, "I'm no asking for much."),
    (2, "I love {cf_him}, but it's hard."),
    (2, "I don't like asking for help."),
    (1, "{Worker} said to be honest, so I am."),
];

pub const EMOJI: &[&str] = &["🙂", "😊", "👍", "❤️", "🌞"];

/// A phrase recorded in the person's own language with an English rendering. An empty
/// outcome means words at review (thanks, things are better).
pub struct Foreign {
    pub culture: Culture,
    pub outcome: &'static str,
    pub text: &'static str,
    pub english: &'static str,
}

const fn f(
    culture: Culture,
    outcome: &'static str,
    text: &'static str,
    english: &'static str,
) -> Foreign {
    Foreign {
        culture,
        outcome,
        text,
        english,
    }
}

pub const FOREIGN: &[Foreign] = &[
    f(
        Culture::Gaelic,
        "living_as_you_want",
        "Tha mi airson fuireach aig an taigh.",
        "I want to stay at home.",
    ),
    f(
        Culture::Gaelic,
        "seeing_people",
        "Tha mi ag ionndrainn mo charaidean.",
        "I miss my friends.",
    ),
    f(
        Culture::Gaelic,
        "seeing_people",
        "Bu toigh leam a bhith a' bruidhinn Gàidhlig ri cuideigin.",
        "I'd like to speak Gaelic with someone.",
    ),
    f(
        Culture::Gaelic,
        "having_things_to_do",
        "Bu toigh leam a dhol dhan eaglais a-rithist.",
        "I'd like to go to church again.",
    ),
    f(
        Culture::Gaelic,
        "health_wellbeing",
        "Tha mi sgìth, ach tha mi a' dèanamh mo dhìcheall.",
        "I'm tired, but I'm doing my best.",
    ),
    f(
        Culture::Gaelic,
        "",
        "Mòran taing, tha e tòrr nas fheàrr.",
        "Many thanks, it's a lot better.",
    ),
    f(
        Culture::Polish,
        "living_as_you_want",
        "Chcę zostać w swoim domu.",
        "I want to stay in my own home.",
    ),
    f(
        Culture::Polish,
        "seeing_people",
        "Tęsknię za rodziną w Polsce.",
        "I miss my family in Poland.",
    ),
    f(
        Culture::Polish,
        "dealing_with_stigma",
        "Ludzie nie mają cierpliwości, kiedy mówię po angielsku.",
        "People have no patience when I speak English.",
    ),
    f(
        Culture::Polish,
        "feeling_safe",
        "Boję się upaść, kiedy nikogo nie ma w domu.",
        "I'm afraid of falling when nobody's home.",
    ),
    f(
        Culture::Polish,
        "health_wellbeing",
        "Nie śpię dobrze od miesięcy.",
        "I haven't slept well for months.",
    ),
    f(
        Culture::Polish,
        "",
        "Dziękuję, jest dużo lepiej.",
        "Thank you, it's much better.",
    ),
    f(
        Culture::Chinese,
        "living_as_you_want",
        "我想留在自己的家里。",
        "I want to stay in my own home.",
    ),
    f(
        Culture::Chinese,
        "seeing_people",
        "我很想念我的朋友。",
        "I miss my friends very much.",
    ),
    f(
        Culture::Chinese,
        "feeling_safe",
        "晚上一个人在家我会害怕。",
        "I get frightened at home alone at night.",
    ),
    f(
        Culture::Chinese,
        "having_things_to_do",
        "我想每星期去一次华人社区中心。",
        "I'd like to go to the Chinese community centre once a week.",
    ),
    f(
        Culture::Chinese,
        "health_wellbeing",
        "我很累，但是我会坚持。",
        "I'm very tired, but I'll keep going.",
    ),
    f(
        Culture::Chinese,
        "",
        "谢谢你们的帮助，现在好多了。",
        "Thank you for your help, it's much better now.",
    ),
    f(
        Culture::Pakistani,
        "living_as_you_want",
        "میرا گھر میرے لیے بہت اہم ہے۔",
        "My home is very important to me.",
    ),
    f(
        Culture::Pakistani,
        "seeing_people",
        "مجھے اپنے پوتے پوتیوں سے ملنا اچھا لگتا ہے۔",
        "I love seeing my grandchildren.",
    ),
    f(
        Culture::Pakistani,
        "having_things_to_do",
        "مسجد جانا میرے لیے ضروری ہے۔",
        "Going to the mosque is important to me.",
    ),
    f(
        Culture::Pakistani,
        "dealing_with_stigma",
        "انگریزی میں فون پر بات کرنا مشکل ہے۔",
        "Talking on the phone in English is difficult.",
    ),
    f(
        Culture::Pakistani,
        "health_wellbeing",
        "مجھے آرام کی ضرورت ہے۔",
        "I need rest.",
    ),
    f(
        Culture::Pakistani,
        "",
        "شکریہ، اب بہت بہتر ہے۔",
        "Thank you, it's much better now.",
    ),
    f(
        Culture::Sikh,
        "having_things_to_do",
        "ਗੁਰਦੁਆਰੇ ਜਾਣਾ ਮੇਰੇ ਲਈ ਜ਼ਰੂਰੀ ਹੈ।",
        "Going to the gurdwara is important to me.",
    ),
    f(Culture::Sikh, "", "ਬਹੁਤ ਧੰਨਵਾਦ।", "Thank you very much."),
    f(
        Culture::Arabic,
        "living_as_you_want",
        "أريد أن أبقى في بيتي.",
        "I want to stay in my home.",
    ),
    f(
        Culture::Arabic,
        "seeing_people",
        "أشتاق إلى عائلتي كثيراً.",
        "I miss my family very much.",
    ),
    f(
        Culture::Arabic,
        "feeling_safe",
        "أريد أن أشعر بالأمان.",
        "I want to feel safe.",
    ),
    f(
        Culture::Arabic,
        "health_wellbeing",
        "أحتاج إلى بعض الراحة.",
        "I need some rest.",
    ),
    f(
        Culture::Arabic,
        "",
        "شكراً، الحمد لله أصبح الوضع أفضل.",
        "Thank you, thank God things are better.",
    ),
    f(
        Culture::Ukrainian,
        "living_as_you_want",
        "Я хочу мати свій дім тут.",
        "I want to have my own home here.",
    ),
    f(
        Culture::Ukrainian,
        "seeing_people",
        "Я сумую за родиною в Україні.",
        "I miss my family in Ukraine.",
    ),
    f(
        Culture::Ukrainian,
        "feeling_safe",
        "Я хочу почуватися в безпеці.",
        "I want to feel safe.",
    ),
    f(
        Culture::Ukrainian,
        "health_wellbeing",
        "Мені потрібен відпочинок.",
        "I need a rest.",
    ),
    f(
        Culture::Ukrainian,
        "",
        "Дякую, тепер набагато краще.",
        "Thank you, it's much better now.",
    ),
];

// ------------------------------------------------------------------ slot banks

pub const TOWNS: &[&str] = &[
    "Glenmore",
    "Kilbrannan",
    "Strathallan",
    "Lochend",
    "Ballintore",
    "Craigmill",
    "Dunmore",
    "Auchterbrae",
    "Inverallan",
    "Port Eilean",
    "Kirkton",
    "Newmains",
];
pub const PLACES: &[&str] = &[
    "the shops",
    "the Co-op",
    "the library",
    "the post office",
    "the park",
    "the harbour",
    "the beach",
    "church",
    "the chemist",
    "the bowling green",
    "the community centre",
    "the garden centre café",
    "the town",
    "the bank",
];
pub const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
pub const TIMES: &[&str] = &[
    "at night",
    "in the mornings",
    "at the weekends",
    "when it gets dark",
    "in the winter",
];
pub const WORRIES: &[&str] = &[
    "falling when I'm on my own",
    "somebody getting in",
    "the stairs at night",
    "leaving the cooker on",
    "scammers on the phone",
    "getting lost when I'm out",
];
pub const TASKS: &[&str] = &[
    "getting in and out the bath",
    "my own shopping",
    "cooking a proper meal",
    "the washing",
    "getting dressed",
    "my tablets",
    "my money",
];
pub const SYMPTOMS: &[&str] = &[
    "the pain in my back",
    "my breathing",
    "the pain in my hip",
    "the swelling in my legs",
    "the dizziness",
    "the tiredness",
    "my nerves",
    "the pain in my knees",
];
pub const WHEN: &[&str] = &[
    "Christmas",
    "the summer",
    "my birthday",
    "my granddaughter's wedding",
    "the spring",
    "Hogmanay",
];
pub const HOBBIES: &[&str] = &[
    "the bowling",
    "my garden",
    "the choir",
    "the dancing",
    "the swimming",
    "my knitting",
    "the fishing",
    "the Men's Shed",
    "the bingo",
    "the walking group",
    "the golf",
    "the allotment",
    "my art class",
    "the football",
    "the pigeons",
    "the gym",
    "my baking",
    "the quiz at the pub",
    "the pipe band",
    "volunteering at the charity shop",
    "the woodwork",
    "the crossword club",
    "the ceilidh dancing",
    "the sewing bee",
];
pub const GROUPS: &[&str] = &[
    "the lunch club",
    "the church guild",
    "the Men's Shed",
    "the walking group",
    "the knit and natter",
    "the day centre",
    "the friendship club",
    "the singing group",
    "the community café",
    "the Thursday club",
    "the veterans' breakfast club",
    "the memory café",
    "the chair exercise class",
];
/// Dogs, because the templates walk them.
pub const PETS: &[&str] = &[
    "dog",
    "wee dog",
    "collie",
    "Westie",
    "spaniel",
    "Jack Russell",
];
pub const PET_NAMES: &[&str] = &[
    "Bess", "Rosie", "Max", "Bonnie", "Jess", "Skye", "Tilly", "Buster", "Molly", "Toby", "Bramble",
];
/// Conditions of the person a carer cares for: (for older people, for younger people).
pub const CONDITIONS_OLDER: &[&str] = &[
    "dementia",
    "Parkinson's",
    "COPD",
    "heart failure",
    "stroke",
    "sight loss",
    "memory problems",
    "cancer",
];
pub const CONDITIONS_YOUNGER: &[&str] = &[
    "autism",
    "learning disability",
    "mental health",
    "MS",
    "brain injury",
    "epilepsy",
    "addiction",
];
