"""The survey pages' words in English and Spanish (merged into `ui.i18n.STRINGS`).

The Spanish addresses the respondent as *usted*, like the printed code slips they receive.
"""

from __future__ import annotations

SURVEY_STRINGS: dict[str, dict[str, str]] = {
    # -- menu and title -------------------------------------------------------------------------
    "survey.page": {"en": "Staff survey", "es": "Encuesta al personal"},
    "survey.title": {"en": "Staff survey", "es": "Encuesta al personal"},
    "survey.skip_to_content": {
        "en": "Skip to main content",
        "es": "Saltar al contenido principal",
    },
    "survey.progress_name": {"en": "Progress", "es": "Progreso"},
    # -- opening with a code --------------------------------------------------------------------
    "survey.entry.lead": {
        "en": "To open the survey, type the access code you received, on paper or in a message.",
        "es": "Para abrir la encuesta, escriba el código de acceso que recibió, en papel o en un "
        "mensaje.",
    },
    "survey.entry.label": {"en": "Access code", "es": "Código de acceso"},
    "survey.entry.help": {
        "en": "Fifteen letters and digits, often written in three groups of five. Upper or lower "
        "case, with or without the dashes.",
        "es": "Quince letras y números, a menudo escritos en tres grupos de cinco. En mayúsculas "
        "o minúsculas, con o sin guiones.",
    },
    "survey.entry.submit": {"en": "Open the survey", "es": "Abrir la encuesta"},
    "survey.entry.empty": {
        "en": "Type your access code first.",
        "es": "Primero escriba su código de acceso.",
    },
    "survey.entry.wait": {
        "en": "Several codes in a row did not work. For everyone's safety, please wait {seconds} "
        "seconds before you try again.",
        "es": "Varios códigos seguidos no funcionaron. Por la seguridad de todos, espere "
        "{seconds} segundos antes de volver a intentarlo.",
    },
    "survey.entry.privacy": {
        "en": "The code is a random string of letters and digits: it does not say who you are.",
        "es": "El código es una serie de letras y números al azar: no dice quién es usted.",
    },
    # -- refusals -------------------------------------------------------------------------------
    "survey.error.unknown": {
        "en": "We could not find this code. Check it and type it again, or ask the person who "
        "gave it to you for a new one.",
        "es": "No encontramos este código. Revíselo y escríbalo de nuevo, o pida uno nuevo a la "
        "persona que se lo dio.",
    },
    "survey.error.used": {
        "en": "This code has already been used: the answers sent with it were received. Each "
        "code counts only once.",
        "es": "Este código ya se usó: las respuestas enviadas con él ya se recibieron. Cada "
        "código cuenta una sola vez.",
    },
    "survey.error.not_open": {
        "en": "This survey round has not opened yet. Please come back once it has opened.",
        "es": "Esta ronda de la encuesta todavía no se ha abierto. Vuelva cuando ya esté abierta.",
    },
    "survey.error.closed": {
        "en": "This round is closed and accepts no more answers.",
        "es": "Esta ronda está cerrada y ya no acepta respuestas.",
    },
    "survey.error.link_inactive": {
        "en": "This survey link no longer works. Ask for a new link or for an access code.",
        "es": "Este enlace de la encuesta ya no funciona. Pida un enlace nuevo o un código de "
        "acceso.",
    },
    "survey.error.invalid": {
        "en": "Your answers could not be saved. Please try again; if it keeps happening, tell "
        "the person who gave you the code.",
        "es": "No se pudieron guardar sus respuestas. Vuelva a intentarlo; si sigue pasando, "
        "avise a la persona que le dio el código.",
    },
    "survey.error.storage": {
        "en": "Your answers could not be saved just now, because of a problem on our side. They "
        "are still on this page: please try again in a moment. If it keeps happening, tell the "
        "person who gave you the code.",
        "es": "No se pudieron guardar sus respuestas en este momento, por un problema de nuestro "
        "lado. Siguen en esta página: vuelva a intentarlo en un momento. Si sigue pasando, avise "
        "a la persona que le dio el código.",
    },
    "survey.error.unavailable": {
        "en": "The survey cannot be opened just now, because of a problem on our side. Your code "
        "and the answers you saved are kept: please try again in a few minutes.",
        "es": "La encuesta no se puede abrir en este momento, por un problema de nuestro lado. Su "
        "código y las respuestas que guardó se conservan: vuelva a intentarlo en unos minutos.",
    },
    # -- the code, for coming back --------------------------------------------------------------
    "survey.error.unexpected": {
        "en": "Something went wrong on our side and this page cannot be shown just now. The "
        "answers you saved are kept: try again in a few minutes with the same code.",
        "es": "Algo falló de nuestro lado y ahora no se puede mostrar esta página. Las "
        "respuestas que guardó se conservan: vuelva a intentarlo en unos minutos con el mismo "
        "código.",
    },
    "survey.code.caption": {
        "en": "Your code: **{code}**. With it you can pause and continue later, on any device.",
        "es": "Su código: **{code}**. Con él puede hacer una pausa y continuar más tarde, en "
        "cualquier dispositivo.",
    },
    "survey.code.write_down": {
        "en": "Write this code down to continue later: **{code}**. It is the only way back to "
        "your answers: it is not linked to you, so it cannot be looked up or sent to you again.",
        "es": "Anote este código para continuar más tarde: **{code}**. Es la única forma de "
        "volver a sus respuestas: como no está vinculado a su persona, no se puede recuperar "
        "ni volver a enviar.",
    },
    # -- welcome --------------------------------------------------------------------------------
    "survey.welcome.heading": {"en": "Welcome", "es": "Le damos la bienvenida"},
    "survey.welcome.unit": {
        "en": "Your answers count toward the results of: **{unit}**",
        "es": "Sus respuestas cuentan para los resultados de: **{unit}**",
    },
    "survey.welcome.why.title": {"en": "Why we ask", "es": "Por qué preguntamos"},
    "survey.welcome.why": {
        "en": "Our agency wants to learn how well our everyday work reflects trauma-informed "
        "care: safety, trust, choice, collaboration and respect, for the children and families "
        "we serve and for those of us who serve them. You know this work from the inside. Your "
        "answers show leadership what is working and what needs to change, and what we learn "
        "is shared with all staff.",
        "es": "Nuestra agencia quiere saber en qué medida nuestro trabajo diario refleja una "
        "atención informada sobre el trauma: seguridad, confianza, posibilidad de elegir, "
        "colaboración y respeto, tanto para los niños y las familias que atendemos como para "
        "quienes los atendemos. Usted conoce este trabajo desde dentro. Sus respuestas muestran "
        "a la dirección qué funciona y qué hay que cambiar, y lo que aprendamos se compartirá "
        "con todo el personal.",
    },
    "survey.welcome.choice.title": {"en": "Taking part is your choice", "es": "Usted decide"},
    "survey.welcome.choice": {
        "en": "Taking part is voluntary. You can skip any question, answer “{na}”, or stop at "
        "any time, and nothing happens to you if you decide not to take part.",
        "es": "La participación es voluntaria. Puede saltar cualquier pregunta, responder "
        "«{na}» o dejarlo en cualquier momento, y no tendrá ninguna consecuencia para usted si "
        "decide no participar.",
    },
    "survey.welcome.privacy.title": {"en": "Who sees what", "es": "Quién ve qué"},
    # Each line below is a promise the design keeps (docs/anonymity.md); nothing stronger.
    # tests/ui/test_anonymity_promises.py refuses words that promise more.
    "survey.welcome.privacy.leadership": {
        "en": "You answer without giving your name or signing in. Leadership and managers cannot "
        "see who took part, or which answers came with which code.",
        "es": "Usted responde sin dar su nombre ni iniciar sesión. La dirección y los "
        "responsables de equipo no pueden ver quién participó ni qué respuestas llegaron con qué "
        "código.",
    },
    "survey.welcome.privacy.groups": {
        "en": "Every number in the results is based on the answers of at least {k} people. "
        "Smaller groups are not shown, and neither is anything that would let someone work "
        "them out.",
        "es": "Cada cifra de los resultados se basa en las respuestas de al menos {k} personas. "
        "Los grupos más pequeños no se muestran, ni tampoco nada que permita deducir sus "
        "resultados.",
    },
    "survey.welcome.privacy.comments": {
        "en": "Comments are shown only for groups of at least {k} people, as they were written, "
        "without dates and in random order.",
        "es": "Los comentarios se muestran solo para grupos de al menos {k} personas, tal como se "
        "escribieron, sin fecha y en orden aleatorio.",
    },
    "survey.welcome.privacy.open": {
        "en": "No results are shown while the survey is open: leadership sees only how many "
        "people have answered.",
        "es": "Mientras la encuesta esté abierta no se muestra ningún resultado: la dirección "
        "solo ve cuántas personas han respondido.",
    },
    "survey.welcome.privacy.closed": {
        "en": "When the round closes, your answers are mixed in with everyone else's and kept "
        "with no link to your code.",
        "es": "Cuando se cierre la ronda, sus respuestas se mezclarán con las de las demás "
        "personas y se guardarán sin ningún vínculo con su código.",
    },
    "survey.privacy.more": {
        "en": "To read exactly what is protected, and what is not, ask your agency for tisa's "
        "anonymity statement.",
        "es": "Si quiere saber con exactitud qué está protegido y qué no, pida a su agencia la "
        "declaración de anonimato de tisa.",
    },
    "survey.welcome.time.title": {"en": "How long it takes", "es": "Cuánto tiempo lleva"},
    "survey.welcome.time": {
        "en": "About {minutes} minutes. Your answers are saved each time you move to another "
        "section, so you can pause and come back later with your code.",
        "es": "Unos {minutes} minutos. Sus respuestas se guardan cada vez que pasa a otra "
        "sección, así que puede hacer una pausa y volver más tarde con su código.",
    },
    "survey.welcome.code": {
        "en": "Until you submit, whoever has your code can open the answers you have saved, so "
        "keep it to yourself (on a shared computer, use a private window). Once you submit, "
        "your code no longer opens them.",
        "es": "Hasta que envíe, quien tenga su código puede abrir las respuestas que ha "
        "guardado, así que no lo comparta (en una computadora compartida, use una ventana "
        "privada). Una vez que envíe, su código ya no dará acceso a ellas.",
    },
    "survey.welcome.support.title": {"en": "If you need support", "es": "Si necesita apoyo"},
    "survey.welcome.support": {
        "en": "Some questions touch on difficult experiences. If answering brings up something "
        "hard, you can take a break or stop. Support is available from your Employee "
        "Assistance Program or from a colleague you trust.",
        "es": "Algunas preguntas tocan experiencias difíciles. Si al responder surge algo "
        "doloroso, puede hacer una pausa o dejarlo. Puede buscar apoyo en su Programa de "
        "Asistencia al Empleado o en un colega de confianza.",
    },
    "survey.welcome.language": {
        "en": "Language of the survey · Idioma de la encuesta",
        "es": "Idioma de la encuesta · Language of the survey",
    },
    "survey.welcome.only_language": {
        "en": "This survey is offered in {languages}.",
        "es": "Esta encuesta se ofrece en {languages}.",
    },
    "survey.welcome.start": {"en": "Start the survey", "es": "Comenzar la encuesta"},
    # -- a domain -------------------------------------------------------------------------------
    "survey.progress": {"en": "Section {n} of {total}", "es": "Sección {n} de {total}"},
    "survey.skip_hint": {
        "en": "Answer what you can; you may skip any statement.",
        "es": "Responda lo que pueda; puede saltar cualquier enunciado.",
    },
    "survey.scale_range": {"en": "From “{low}” to “{high}”", "es": "De «{low}» a «{high}»"},
    "survey.comment.label": {
        "en": "Anything you would like to add about this section? (optional)",
        "es": "¿Quiere añadir algo sobre esta sección? (opcional)",
    },
    "survey.comment.help": {
        "en": "Please leave out names and details that could identify anyone, including you.",
        "es": "Por favor, no incluya nombres ni detalles que permitan identificar a nadie, ni "
        "siquiera a usted.",
    },
    "survey.back": {"en": "Back", "es": "Atrás"},
    "survey.next": {"en": "Next", "es": "Siguiente"},
    # -- the respondent's role ------------------------------------------------------------------
    "survey.role.progress": {"en": "Almost done: about you", "es": "Casi termina: sobre usted"},
    "survey.role.heading": {"en": "About your work", "es": "Sobre su trabajo"},
    "survey.role.question": {
        "en": "Which best describes your role?",
        "es": "¿Qué opción describe mejor su puesto?",
    },
    "survey.role.note": {
        "en": "Your role is kept with your answers. Results by role are shown only for the "
        "agency as a whole, and only for groups of at least {k} people. You can choose "
        "“{prefer_not}”.",
        "es": "Su puesto se guarda junto con sus respuestas. Los resultados por puesto se "
        "muestran solo para la agencia en su conjunto y solo para grupos de al menos {k} "
        "personas. Puede elegir «{prefer_not}».",
    },
    "survey.role_frontline": {
        "en": "Frontline practice (for example caseworker or family support)",
        "es": "Atención directa (por ejemplo, gestión de casos o apoyo a familias)",
    },
    "survey.role_supervisor": {"en": "Supervisor", "es": "Supervisor o supervisora"},
    "survey.role_manager": {"en": "Manager or leadership", "es": "Gerencia o dirección"},
    "survey.role_support": {
        "en": "Administrative or support staff",
        "es": "Personal administrativo o de apoyo",
    },
    "survey.role_other": {"en": "Other", "es": "Otro puesto"},
    "survey.role_prefer_not": {"en": "Prefer not to say", "es": "Prefiero no decirlo"},
    "survey.closing.label": {
        "en": "Is there anything else you would like to tell us? (optional)",
        "es": "¿Hay algo más que quiera contarnos? (opcional)",
    },
    # -- review ---------------------------------------------------------------------------------
    "survey.review.progress": {"en": "Last step: review", "es": "Último paso: revisión"},
    "survey.review.heading": {"en": "Review before you submit", "es": "Revise antes de enviar"},
    "survey.review.all_answered": {
        "en": "You answered every statement. Thank you!",
        "es": "Respondió todos los enunciados. ¡Gracias!",
    },
    "survey.review.missing.one": {
        "en": "{n} statement is unanswered. That is fine: you can submit as it is, or go back "
        "and answer it.",
        "es": "{n} enunciado está sin responder. No pasa nada: puede enviar así o volver atrás "
        "y responderlo.",
    },
    "survey.review.missing.other": {
        "en": "{n} statements are unanswered. That is fine: you can submit as it is, or go back "
        "and answer them.",
        "es": "{n} enunciados están sin responder. No pasa nada: puede enviar así o volver atrás "
        "y responderlos.",
    },
    "survey.review.section_missing.one": {"en": "{n} unanswered", "es": "{n} sin responder"},
    "survey.review.section_missing.other": {"en": "{n} unanswered", "es": "{n} sin responder"},
    "survey.review.by_section": {
        "en": "Unanswered, by section",
        "es": "Sin responder, por sección",
    },
    "survey.review.go_to": {"en": "Go back to “{section}”", "es": "Volver a «{section}»"},
    "survey.review.role": {"en": "Your role: {role}", "es": "Su puesto: {role}"},
    "survey.review.role_none": {"en": "not given", "es": "sin indicar"},
    "survey.review.change_role": {"en": "Change my role", "es": "Cambiar mi puesto"},
    "survey.review.final": {
        "en": "Once you submit, your answers can no longer be changed and your code stops working.",
        "es": "Una vez que envíe, ya no podrá cambiar sus respuestas y su código dejará de "
        "funcionar.",
    },
    "survey.submit": {"en": "Submit my answers", "es": "Enviar mis respuestas"},
    # -- thanks ---------------------------------------------------------------------------------
    "survey.thanks.heading": {"en": "Thank you", "es": "Gracias"},
    "survey.thanks.received": {
        "en": "Your answers were received, and your code no longer opens them. Thank you for "
        "your time.",
        "es": "Recibimos sus respuestas y su código ya no da acceso a ellas. Gracias por su "
        "tiempo.",
    },
    "survey.thanks.private": {
        "en": "Leadership and managers cannot see who took part, or which answers are yours. "
        "When the round closes, your answers are mixed in with everyone else's and kept with "
        "no link to your code.",
        "es": "La dirección y los responsables de equipo no pueden ver quién participó ni cuáles "
        "son sus respuestas. Cuando se cierre la ronda, sus respuestas se mezclarán con las de "
        "las demás personas y se guardarán sin ningún vínculo con su código.",
    },
    "survey.thanks.next": {
        "en": "No results are shown while the round is open. After it closes, the results, "
        "every number based on at least {k} people, are shared with all staff, together with "
        "what the agency will do about them.",
        "es": "Mientras la ronda esté abierta no se muestra ningún resultado. Cuando se cierre, "
        "los resultados, en los que cada cifra se basa en al menos {k} personas, se compartirán "
        "con todo el personal, junto con lo que la agencia hará al respecto.",
    },
    "survey.thanks.next_dated": {
        "en": "The round closes on {date}, and no results are shown before then. After that, "
        "the results, every number based on at least {k} people, are shared with all staff, "
        "together with what the agency will do about them.",
        "es": "La ronda se cierra el {date} y hasta entonces no se muestra ningún resultado. "
        "Después, los resultados, en los que cada cifra se basa en al menos {k} personas, se "
        "compartirán con todo el personal, junto con lo que la agencia hará al respecto.",
    },
    "survey.thanks.support": {
        "en": "If answering brought up something difficult, your Employee Assistance Program or "
        "a colleague you trust can help.",
        "es": "Si responder le hizo recordar algo difícil, su Programa de Asistencia al Empleado "
        "o un colega de confianza pueden ayudarle.",
    },
    "survey.thanks.close": {
        "en": "You can close this page now.",
        "es": "Ya puede cerrar esta página.",
    },
    "survey.thanks.another": {
        "en": "Answer with another code",
        "es": "Responder con otro código",
    },
    # -- dates ----------------------------------------------------------------------------------
    "survey.date": {"en": "{month} {day}, {year}", "es": "{day} de {month} de {year}"},
    "survey.month.1": {"en": "January", "es": "enero"},
    "survey.month.2": {"en": "February", "es": "febrero"},
    "survey.month.3": {"en": "March", "es": "marzo"},
    "survey.month.4": {"en": "April", "es": "abril"},
    "survey.month.5": {"en": "May", "es": "mayo"},
    "survey.month.6": {"en": "June", "es": "junio"},
    "survey.month.7": {"en": "July", "es": "julio"},
    "survey.month.8": {"en": "August", "es": "agosto"},
    "survey.month.9": {"en": "September", "es": "septiembre"},
    "survey.month.10": {"en": "October", "es": "octubre"},
    "survey.month.11": {"en": "November", "es": "noviembre"},
    "survey.month.12": {"en": "December", "es": "diciembre"},
}
