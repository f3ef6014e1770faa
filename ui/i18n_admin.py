"""The admin pages' words in English and Spanish (merged into `ui.i18n.STRINGS`)."""

from __future__ import annotations

ADMIN_STRINGS: dict[str, dict[str, str]] = {
    # -- menu -----------------------------------------------------------------------------------
    "admin.section.leadership": {"en": "Leadership", "es": "Dirección"},
    "admin.page.units": {"en": "Units", "es": "Unidades"},
    "admin.page.users": {"en": "Users", "es": "Usuarios"},
    "admin.page.rounds": {"en": "Rounds", "es": "Rondas"},
    "admin.page.access": {"en": "Access and response rates", "es": "Acceso y participación"},
    "admin.page.paper": {"en": "Paper responses", "es": "Respuestas en papel"},
    "admin.page.audit": {"en": "Audit log", "es": "Registro de actividad"},
    # -- shared ---------------------------------------------------------------------------------
    "admin.refused": {
        "en": "Nothing was changed: {problem}",
        "es": "No se ha cambiado nada: {problem}",
    },
    "admin.refused_many": {
        "en": "Nothing was changed. {n} problems to fix:",
        "es": "No se ha cambiado nada. Hay {n} problemas que corregir:",
    },
    "admin.cancel": {"en": "Cancel", "es": "Cancelar"},
    "admin.choose_units": {"en": "Choose units", "es": "Elige unidades"},
    "admin.choose_file": {
        "en": "Choose a CSV file first.",
        "es": "Primero elige un archivo CSV.",
    },
    "admin.not_utf8": {
        "en": "{file} is not UTF-8 text; save it from your spreadsheet program as “CSV UTF-8” "
        "and upload it again",
        "es": "{file} no es texto UTF-8; guárdalo desde tu hoja de cálculo como «CSV UTF-8» y "
        "vuelve a subirlo",
    },
    "admin.nothing_imported": {
        "en": "**Nothing was imported.** Fix these lines in the file and upload it again; the "
        "whole file is imported only once every line is right.",
        "es": "**No se ha importado nada.** Corrige estas líneas del archivo y vuelve a subirlo; "
        "el archivo se importa entero solo cuando todas las líneas son correctas.",
    },
    "admin.round_status.draft": {"en": "draft", "es": "borrador"},
    "admin.round_status.open": {"en": "open", "es": "abierta"},
    "admin.round_status.closed": {"en": "closed", "es": "cerrada"},
    "admin.round_status.published": {"en": "published", "es": "publicada"},
    # -- units ----------------------------------------------------------------------------------
    "admin.units.title": {"en": "Units", "es": "Unidades"},
    "admin.units.lead": {
        "en": "The organization's units form a tree: offices, programs, teams. Rounds invite "
        "units, and reports show each unit together with the units below it.",
        "es": "Las unidades de la organización forman un árbol: oficinas, programas, equipos. "
        "Las rondas invitan a unidades y los informes muestran cada unidad junto con las que "
        "dependen de ella.",
    },
    "admin.units.tree": {"en": "Units of {organization}", "es": "Unidades de {organization}"},
    "admin.units.empty": {
        "en": "There are no units yet. Add the first one below, or import them all from a CSV "
        "file.",
        "es": "Todavía no hay unidades. Añade la primera aquí abajo o impórtalas todas desde un "
        "archivo CSV.",
    },
    "admin.units.none_yet": {
        "en": "Add a unit first.",
        "es": "Primero añade una unidad.",
    },
    "admin.units.count.one": {"en": "{n} unit", "es": "{n} unidad"},
    "admin.units.count.other": {"en": "{n} units", "es": "{n} unidades"},
    "admin.units.inactive": {"en": "inactive", "es": "inactiva"},
    "admin.units.tab.add": {"en": "Add a unit", "es": "Añadir una unidad"},
    "admin.units.tab.rename": {"en": "Rename", "es": "Cambiar el nombre"},
    "admin.units.tab.move": {"en": "Move", "es": "Mover"},
    "admin.units.tab.import": {"en": "Import from CSV", "es": "Importar desde CSV"},
    "admin.units.name": {"en": "Name", "es": "Nombre"},
    "admin.units.code": {"en": "Code (optional)", "es": "Código (opcional)"},
    "admin.units.code_help": {
        "en": "A short code people type, e.g. north-intake: lower-case letters and digits "
        "joined by hyphens. Left empty, it is made from the name.",
        "es": "Un código corto para escribir, p. ej. norte-acogida: minúsculas y números unidos "
        "por guiones. Si lo dejas vacío, se crea a partir del nombre.",
    },
    "admin.units.parent": {"en": "Part of", "es": "Depende de"},
    "admin.units.top_level": {
        "en": "— top level (no unit above) —",
        "es": "— nivel superior (sin unidad por encima) —",
    },
    "admin.units.add": {"en": "Add unit", "es": "Añadir unidad"},
    "admin.units.added": {
        "en": "Unit **{name}** (`{code}`) added.",
        "es": "Se ha añadido la unidad **{name}** (`{code}`).",
    },
    "admin.units.which": {"en": "Unit", "es": "Unidad"},
    "admin.units.new_name": {"en": "New name", "es": "Nombre nuevo"},
    "admin.units.rename": {"en": "Rename unit", "es": "Cambiar el nombre"},
    "admin.units.renamed": {
        "en": "Unit `{code}` is now called **{name}**.",
        "es": "La unidad `{code}` se llama ahora **{name}**.",
    },
    "admin.units.new_parent": {"en": "Move under", "es": "Mover debajo de"},
    "admin.units.move_note": {
        "en": "The units below it move with it. Rounds already created keep the tree they "
        "started with.",
        "es": "Las unidades que dependen de ella se mueven con ella. Las rondas ya creadas "
        "conservan el árbol con el que empezaron.",
    },
    "admin.units.move": {"en": "Move unit", "es": "Mover unidad"},
    "admin.units.moved": {
        "en": "**{name}** is now under {where}.",
        "es": "**{name}** depende ahora de {where}.",
    },
    "admin.units.import_help": {
        "en": "A CSV file with the columns `name`, `code` (optional) and `parent` (the code of "
        "the unit above: stored already or on an earlier line). Every line is checked first; "
        "the units are added only if every line is right.",
        "es": "Un archivo CSV con las columnas `name` (nombre), `code` (código, opcional) y "
        "`parent` (el código de la unidad de la que depende: ya guardada o en una línea "
        "anterior). Se revisan todas las líneas primero y las unidades se añaden solo si todas "
        "son correctas.",
    },
    "admin.units.import_file": {"en": "CSV file of units", "es": "Archivo CSV de unidades"},
    "admin.units.import": {"en": "Import units", "es": "Importar unidades"},
    "admin.units.imported.one": {
        "en": "{n} unit imported from {file}.",
        "es": "Se ha importado {n} unidad desde {file}.",
    },
    "admin.units.imported.other": {
        "en": "{n} units imported from {file}.",
        "es": "Se han importado {n} unidades desde {file}.",
    },
    # -- users ----------------------------------------------------------------------------------
    "admin.users.title": {"en": "Users", "es": "Usuarios"},
    "admin.users.lead": {
        "en": "People who sign in: admins set up units, rounds and access and see every unit; "
        "managers read the reports of the units in their scope (and of the units below them) "
        "and of the agency as a whole.",
        "es": "Las personas que inician sesión: administración prepara unidades, rondas y "
        "accesos y ve todas las unidades; responsables de equipo leen los informes de las "
        "unidades que tienen asignadas (y de las que dependen de ellas) y los de toda la "
        "agencia.",
    },
    "admin.users.list": {"en": "Who can sign in", "es": "Quién puede iniciar sesión"},
    "admin.users.col.username": {"en": "Username", "es": "Usuario"},
    "admin.users.col.name": {"en": "Name", "es": "Nombre"},
    "admin.users.col.role": {"en": "Role", "es": "Rol"},
    "admin.users.col.active": {"en": "Active", "es": "Activo"},
    "admin.users.col.scope": {"en": "Units (scope)", "es": "Unidades asignadas"},
    "admin.users.scope_all": {"en": "every unit", "es": "todas las unidades"},
    "admin.users.scope_none": {
        "en": "none yet (agency-wide results only)",
        "es": "ninguna todavía (solo resultados de toda la agencia)",
    },
    "admin.users.tab.add": {"en": "Add a user", "es": "Añadir un usuario"},
    "admin.users.tab.scope": {"en": "Manager's units", "es": "Unidades de responsables"},
    "admin.users.tab.access": {"en": "Disable or enable", "es": "Desactivar o activar"},
    "admin.users.username": {"en": "Username", "es": "Nombre de usuario"},
    "admin.users.username_help": {
        "en": "2 to 64 lower-case letters, digits or . _ @ -, e.g. maria.lopez. Used to sign in.",
        "es": "De 2 a 64 minúsculas, números o . _ @ -, p. ej. maria.lopez. Sirve para iniciar "
        "sesión.",
    },
    "admin.users.name": {"en": "Full name", "es": "Nombre completo"},
    "admin.users.role": {"en": "Role", "es": "Rol"},
    "admin.users.password": {"en": "Password", "es": "Contraseña"},
    "admin.users.password_help": {
        "en": "At least {n} characters. A few unrelated words make a long password that is easy "
        "to remember. Give it to the person privately.",
        "es": "Al menos {n} caracteres. Unas cuantas palabras sin relación forman una contraseña "
        "larga y fácil de recordar. Entrégasela a la persona en privado.",
    },
    "admin.users.password_again": {"en": "Password again", "es": "Repite la contraseña"},
    "admin.users.password_mismatch": {
        "en": "the two passwords are not the same; type them again",
        "es": "las dos contraseñas no coinciden; vuelve a escribirlas",
    },
    "admin.users.scope": {"en": "Units this manager reads", "es": "Unidades que puede consultar"},
    "admin.users.scope_help": {
        "en": "For managers only: each unit chosen includes the units below it. Admins always "
        "see every unit.",
        "es": "Solo para responsables de equipo: cada unidad elegida incluye las que dependen "
        "de ella. Administración siempre ve todas las unidades.",
    },
    "admin.users.admin_has_no_scope": {
        "en": "admins see every unit; leave the units empty for an admin, or choose the role "
        "manager",
        "es": "administración ve todas las unidades; deja las unidades vacías para una persona "
        "de administración o elige el rol de responsable de equipo",
    },
    "admin.users.add": {"en": "Add user", "es": "Añadir usuario"},
    "admin.users.added": {
        "en": "**{username}** can now sign in as {role}.",
        "es": "**{username}** ya puede iniciar sesión con el rol de {role}.",
    },
    "admin.users.no_managers": {
        "en": "There are no managers yet. Add one in “Add a user”.",
        "es": "Todavía no hay responsables de equipo. Añade uno en «Añadir un usuario».",
    },
    "admin.users.manager": {"en": "Manager", "es": "Responsable de equipo"},
    "admin.users.save_scope": {"en": "Save units", "es": "Guardar unidades"},
    "admin.users.scope_saved": {
        "en": "The units of **{username}** are saved; they apply from their next click.",
        "es": "Se han guardado las unidades de **{username}**; se aplican desde su próximo clic.",
    },
    "admin.users.only_you": {
        "en": "You are the only user so far.",
        "es": "Por ahora eres el único usuario.",
    },
    "admin.users.which": {"en": "User", "es": "Usuario"},
    "admin.users.is_active": {"en": "active", "es": "activo"},
    "admin.users.is_disabled": {"en": "disabled", "es": "desactivado"},
    "admin.users.not_yourself": {
        "en": "You cannot disable your own account here.",
        "es": "Aquí no puedes desactivar tu propia cuenta.",
    },
    "admin.users.disable_note": {
        "en": "Disabling signs the person out at once and stops them signing in; their history "
        "stays. You can enable them again later.",
        "es": "Al desactivar, la persona sale de la sesión en el acto y ya no puede iniciarla; "
        "su historial se conserva. Puedes volver a activarla más adelante.",
    },
    "admin.users.disable": {"en": "Disable user", "es": "Desactivar usuario"},
    "admin.users.enable": {"en": "Enable user", "es": "Activar usuario"},
    "admin.users.disabled": {
        "en": "**{username}** is disabled and signed out.",
        "es": "**{username}** está desactivado y ha salido de la sesión.",
    },
    "admin.users.enabled": {
        "en": "**{username}** can sign in again.",
        "es": "**{username}** puede volver a iniciar sesión.",
    },
    # -- rounds ---------------------------------------------------------------------------------
    "admin.rounds.title": {"en": "Assessment rounds", "es": "Rondas de evaluación"},
    "admin.rounds.lead": {
        "en": "A round asks the chosen units to answer one instrument version. It goes from "
        "draft to open (staff answer) to closed (nothing more is accepted) to published (staff "
        "see what was heard), and never back.",
        "es": "Una ronda pide a las unidades elegidas que respondan una versión de un "
        "instrumento. Pasa de borrador a abierta (el personal responde), a cerrada (ya no se "
        "acepta nada) y a publicada (el personal ve lo que se escuchó), y nunca vuelve atrás.",
    },
    "admin.rounds.list": {"en": "Rounds", "es": "Rondas"},
    "admin.rounds.none": {
        "en": "No round yet. Create the first one below.",
        "es": "Todavía no hay rondas. Crea la primera aquí abajo.",
    },
    "admin.rounds.col.id": {"en": "ID", "es": "ID"},
    "admin.rounds.col.name": {"en": "Name", "es": "Nombre"},
    "admin.rounds.col.status": {"en": "Status", "es": "Estado"},
    "admin.rounds.col.instrument": {"en": "Instrument", "es": "Instrumento"},
    "admin.rounds.col.opens": {"en": "Opens", "es": "Apertura"},
    "admin.rounds.col.closes": {"en": "Closes", "es": "Cierre"},
    "admin.rounds.col.k": {"en": "Minimum group", "es": "Grupo mínimo"},
    "admin.rounds.col.unit": {"en": "Unit", "es": "Unidad"},
    "admin.rounds.col.code": {"en": "Code", "es": "Código"},
    "admin.rounds.col.invited": {"en": "Invited", "es": "Personas invitadas"},
    "admin.rounds.pick": {"en": "Round", "es": "Ronda"},
    "admin.rounds.languages": {"en": "Languages", "es": "Idiomas"},
    "admin.rounds.dates": {"en": "Dates", "es": "Fechas"},
    "admin.rounds.min_group": {
        "en": "Minimum group size (k)",
        "es": "Tamaño mínimo de grupo (k)",
    },
    "admin.rounds.min_group_help": {
        "en": "No result and no response rate is shown for a group smaller than this (3 to "
        "10). Staff are told this number before they answer.",
        "es": "No se muestra ningún resultado ni tasa de respuesta de un grupo más pequeño que "
        "este (de 3 a 10). El personal conoce este número antes de responder.",
    },
    "admin.rounds.min_comment_group": {
        "en": "Minimum group for comments",
        "es": "Grupo mínimo para comentarios",
    },
    "admin.rounds.min_comment_group_help": {
        "en": "Written comments are shown only for groups at least this large (at least the "
        "minimum group size), since wording can give a person away.",
        "es": "Los comentarios escritos solo se muestran en grupos de al menos este tamaño (como "
        "mínimo el tamaño mínimo de grupo), porque la forma de escribir puede delatar a alguien.",
    },
    "admin.rounds.locked_at_launch": {
        "en": "Locked at launch: once the round is opened, its instrument version, units and "
        "invited counts, languages, minimum group size and comment threshold can no longer be "
        "changed.",
        "es": "Se bloquea al lanzar: en cuanto se abre la ronda, ya no se pueden cambiar la "
        "versión del instrumento, las unidades y sus personas invitadas, los idiomas, el tamaño "
        "mínimo de grupo ni el umbral de comentarios.",
    },
    "admin.rounds.locked_now": {
        "en": "These settings were locked when the round was launched.",
        "es": "Estos ajustes quedaron bloqueados al lanzar la ronda.",
    },
    "admin.rounds.timeline": {"en": "Timeline", "es": "Cronología"},
    "admin.rounds.step.created": {"en": "Created (draft)", "es": "Creada (borrador)"},
    "admin.rounds.step.opened": {"en": "Launched (open)", "es": "Lanzada (abierta)"},
    "admin.rounds.step.closed": {"en": "Closed", "es": "Cerrada"},
    "admin.rounds.step.published": {"en": "Published", "es": "Publicada"},
    "admin.rounds.not_yet": {"en": "not yet", "es": "todavía no"},
    "admin.rounds.explain.open": {
        "en": "**Next: launch.** Staff can then answer with their codes and links.",
        "es": "**Siguiente paso: lanzar.** Después el personal podrá responder con sus códigos "
        "y enlaces.",
    },
    "admin.rounds.explain.close": {
        "en": "**Next: close.** After closing, no answer is accepted, not even a draft in "
        "progress. Closing computes the results once, from every answer, and keeps them: "
        "until then nobody, leadership included, sees any score of the round.",
        "es": "**Siguiente paso: cerrar.** Tras el cierre no se acepta ninguna respuesta, ni "
        "siquiera un borrador a medias. Al cerrar se calculan los resultados una sola vez, con "
        "todas las respuestas, y se guardan: hasta entonces nadie, tampoco la dirección, ve "
        "ninguna puntuación de la ronda.",
    },
    "admin.rounds.explain.publish": {
        "en": "**Next: publish.** Staff can then read the summary of what was heard.",
        "es": "**Siguiente paso: publicar.** Después el personal podrá leer el resumen de lo "
        "que se escuchó.",
    },
    "admin.rounds.do.open": {"en": "🚀 Launch round…", "es": "🚀 Lanzar la ronda…"},
    "admin.rounds.do.close": {"en": "⏹️ Close round…", "es": "⏹️ Cerrar la ronda…"},
    "admin.rounds.do.publish": {"en": "📣 Publish results…", "es": "📣 Publicar resultados…"},
    "admin.rounds.confirm.open": {
        "en": "Launch **{name}** now? Its settings are locked from this moment, and it cannot "
        "go back to draft.",
        "es": "¿Lanzar **{name}** ahora? Sus ajustes quedan bloqueados desde este momento y no "
        "puede volver a borrador.",
    },
    "admin.rounds.confirm.close": {
        "en": "Close **{name}** now? Nobody can answer or finish a draft after this, and it "
        "cannot be reopened.",
        "es": "¿Cerrar **{name}** ahora? Después nadie podrá responder ni terminar un borrador, "
        "y no se puede volver a abrir.",
    },
    "admin.rounds.confirm.publish": {
        "en": "Publish **{name}** now? Staff will be able to read the summary of its results.",
        "es": "¿Publicar **{name}** ahora? El personal podrá leer el resumen de sus resultados.",
    },
    "admin.rounds.yes.open": {"en": "Yes, launch it", "es": "Sí, lanzarla"},
    "admin.rounds.yes.close": {"en": "Yes, close it", "es": "Sí, cerrarla"},
    "admin.rounds.yes.publish": {"en": "Yes, publish it", "es": "Sí, publicarla"},
    "admin.rounds.moved": {
        "en": "**{name}** is now {status}.",
        "es": "**{name}** está ahora {status}.",
    },
    "admin.rounds.all_done": {
        "en": "This round is published: there is nothing more to do here.",
        "es": "Esta ronda está publicada: aquí no queda nada por hacer.",
    },
    "admin.rounds.create": {"en": "➕ Create a round", "es": "➕ Crear una ronda"},
    "admin.rounds.no_units": {
        "en": "Add the organization's units first (page Units).",
        "es": "Primero añade las unidades de la organización (página Unidades).",
    },
    "admin.rounds.no_versions": {
        "en": "No published instrument version is stored; run `tisa init` to store the "
        "bundled library.",
        "es": "No hay ninguna versión de instrumento publicada; ejecuta `tisa init` para "
        "guardar la biblioteca incluida.",
    },
    "admin.rounds.name": {"en": "Name", "es": "Nombre"},
    "admin.rounds.name_example": {"en": "e.g. Spring 2027", "es": "p. ej. Primavera 2027"},
    "admin.rounds.instrument": {
        "en": "Instrument version (published)",
        "es": "Versión del instrumento (publicada)",
    },
    "admin.rounds.choose_languages": {"en": "Choose languages", "es": "Elige idiomas"},
    "admin.rounds.opens_on": {"en": "Opening date", "es": "Fecha de apertura"},
    "admin.rounds.closes_on": {"en": "Closing date", "es": "Fecha de cierre"},
    "admin.rounds.dates_help": {
        "en": "Both dates are required; a new round opens today and closes three weeks later "
        "unless you change them. They can be corrected until the round closes.",
        "es": "Las dos fechas son obligatorias; una ronda nueva abre hoy y cierra tres semanas "
        "después si no las cambias. Se pueden corregir hasta que la ronda se cierre.",
    },
    "admin.rounds.date_missing": {
        "en": "Nothing was changed: {field} is empty; choose a date.",
        "es": "No se ha cambiado nada: {field} está vacía; elige una fecha.",
    },
    "admin.rounds.edit_dates": {"en": "📅 Change the dates", "es": "📅 Cambiar las fechas"},
    "admin.rounds.save_dates": {"en": "Save dates", "es": "Guardar fechas"},
    "admin.rounds.dates_saved": {
        "en": "Dates of **{name}** saved: {opens} → {closes}.",
        "es": "Fechas de **{name}** guardadas: {opens} → {closes}.",
    },
    "admin.rounds.dates_kept": {
        "en": "The dates are kept as they were when the round closed: its report states them.",
        "es": "Las fechas se conservan como estaban al cerrar la ronda: su informe las indica.",
    },
    "admin.rounds.units": {
        "en": "Units and how many people are invited",
        "es": "Unidades y cuántas personas se invitan",
    },
    "admin.rounds.units_help": {
        "en": "Type how many staff of each unit are invited (its own staff, not counting the "
        "units below it). Units left at 0 are not in the round; a unit above chosen units is "
        "included to group them.",
        "es": "Escribe cuántas personas de cada unidad se invitan (su propio personal, sin "
        "contar las unidades que dependen de ella). Las unidades en 0 no entran en la ronda; "
        "una unidad por encima de las elegidas se incluye para agruparlas.",
    },
    "admin.rounds.create_submit": {"en": "Create round (draft)", "es": "Crear ronda (borrador)"},
    "admin.rounds.created": {
        "en": "Round **{name}** created as a draft. Check it below, then launch it.",
        "es": "Se ha creado la ronda **{name}** como borrador. Revísala aquí abajo y después "
        "lánzala.",
    },
    # -- access ---------------------------------------------------------------------------------
    "admin.access.title": {"en": "Access and response rates", "es": "Acceso y participación"},
    "admin.access.lead": {
        "en": "Hand out single-use access codes or an open link per unit, and follow how many "
        "have answered. Nothing here can tell who answered or what.",
        "es": "Reparte códigos de acceso de un solo uso o un enlace abierto por unidad, y sigue "
        "cuántas personas han respondido. Nada de lo que hay aquí permite saber quién respondió "
        "ni qué.",
    },
    "admin.access.no_round": {
        "en": "There is no round yet. Create one first.",
        "es": "Todavía no hay ninguna ronda. Primero crea una.",
    },
    "admin.access.closed_note": {
        "en": "This round is {status}: no new codes or links can be made.",
        "es": "Esta ronda está {status}: ya no se pueden crear códigos ni enlaces.",
    },
    "admin.access.to_rounds": {"en": "Go to Rounds", "es": "Ir a Rondas"},
    "admin.access.round": {"en": "Round", "es": "Ronda"},
    "admin.access.draft_note": {
        "en": "This round is still a draft: codes and links can be prepared now, but they work "
        "only once the round is launched.",
        "es": "Esta ronda aún es un borrador: puedes preparar códigos y enlaces, pero solo "
        "funcionarán cuando se lance la ronda.",
    },
    "admin.access.tab.codes": {"en": "Access codes", "es": "Códigos de acceso"},
    "admin.access.tab.links": {"en": "Open unit links", "es": "Enlaces abiertos por unidad"},
    "admin.access.tab.rates": {"en": "Response rates", "es": "Tasa de respuesta"},
    "admin.access.unit": {"en": "Unit", "es": "Unidad"},
    "admin.access.codes_help": {
        "en": "Each code lets one person answer once. Slips carry no number or name, so "
        "whoever hands them out cannot tell later which slip went to whom.",
        "es": "Cada código permite a una persona responder una vez. Las papeletas no llevan "
        "número ni nombre, así que quien las reparte no puede saber después a quién le tocó "
        "cada una.",
    },
    "admin.access.count": {"en": "How many codes", "es": "Cuántos códigos"},
    "admin.access.issue": {"en": "Issue codes", "es": "Generar códigos"},
    "admin.access.issued.one": {
        "en": "{n} code issued for **{unit}** ({round}).",
        "es": "Se ha generado {n} código para **{unit}** ({round}).",
    },
    "admin.access.issued.other": {
        "en": "{n} codes issued for **{unit}** ({round}).",
        "es": "Se han generado {n} códigos para **{unit}** ({round}).",
    },
    "admin.access.shown_once": {
        "en": "**Download them now: these codes are shown only this once.** tisa keeps only a "
        "fingerprint of each code, so they cannot be shown again once you leave this page. If "
        "they are lost, issue new ones.",
        "es": "**Descárgalos ahora: estos códigos solo se muestran esta vez.** tisa guarda solo "
        "una huella de cada código, así que no se pueden volver a mostrar cuando salgas de esta "
        "página. Si se pierden, genera otros nuevos.",
    },
    "admin.access.download_csv": {"en": "⬇️ Download CSV", "es": "⬇️ Descargar CSV"},
    "admin.access.download_pdf": {
        "en": "🖨️ Download printable slips (PDF)",
        "es": "🖨️ Descargar papeletas imprimibles (PDF)",
    },
    "admin.access.forget": {
        "en": "Done: I have saved them",
        "es": "Listo: ya los he guardado",
    },
    "admin.access.codes_list": {"en": "The codes", "es": "Los códigos"},
    "admin.access.links_help": {
        "en": "An open link lets anyone in the unit start the survey without a code; each "
        "person who starts gets a resume code of their own. Share it only inside the unit. "
        "Making a new link stops the unit's old one.",
        "es": "Un enlace abierto permite a cualquiera de la unidad empezar la encuesta sin "
        "código; cada persona que empieza recibe su propio código para continuar. Compártelo "
        "solo dentro de la unidad. Al crear un enlace nuevo, el anterior de esa unidad deja de "
        "funcionar.",
    },
    "admin.access.has_link": {
        "en": "This unit has a working link. Replacing it stops the old one.",
        "es": "Esta unidad tiene un enlace activo. Si lo sustituyes, el anterior deja de "
        "funcionar.",
    },
    "admin.access.no_link": {
        "en": "This unit has no open link yet.",
        "es": "Esta unidad todavía no tiene enlace abierto.",
    },
    "admin.access.create_link": {"en": "🔗 Create link", "es": "🔗 Crear enlace"},
    "admin.access.replace_link": {"en": "🔗 Replace link", "es": "🔗 Sustituir enlace"},
    "admin.access.link_made": {
        "en": "The open link for **{unit}**:",
        "es": "El enlace abierto de **{unit}**:",
    },
    "admin.access.link_once": {
        "en": "Copy it now: tisa keeps only a fingerprint of the link and cannot show it again.",
        "es": "Cópialo ahora: tisa guarda solo una huella del enlace y no puede volver a "
        "mostrarlo.",
    },
    "admin.access.linked_units": {
        "en": "Units with a working link:",
        "es": "Unidades con enlace activo:",
    },
    "admin.access.rates_help": {
        "en": "Updated every 30 seconds. Each unit counts the units below it too. Numbers are "
        "shown only for units with at least {k} people invited.",
        "es": "Se actualiza cada 30 segundos. Cada unidad incluye también las que dependen de "
        "ella. Las cifras solo se muestran en unidades con al menos {k} personas invitadas.",
    },
    "admin.access.col.unit": {"en": "Unit", "es": "Unidad"},
    "admin.access.col.invited": {"en": "Invited", "es": "Invitadas"},
    "admin.access.col.responses": {"en": "Responses", "es": "Respuestas"},
    "admin.access.col.rate": {"en": "Response rate", "es": "Tasa de respuesta"},
    "admin.access.col.issued": {"en": "Codes issued", "es": "Códigos generados"},
    "admin.access.col.started": {"en": "Started", "es": "Empezadas"},
    "admin.access.col.submitted": {"en": "Submitted", "es": "Enviadas"},
    "admin.access.not_shown": {
        "en": "fewer than {k} invited — not shown",
        "es": "menos de {k} invitadas — no se muestra",
    },
    "admin.access.withheld": {"en": "not shown", "es": "no se muestra"},
    "admin.access.rates_note": {
        "en": "“Started” are answers in progress; paper responses count as responses but use "
        "no code. A rate can pass 100% when more people answer than were counted as invited.",
        "es": "«Empezadas» son respuestas en curso; las respuestas en papel cuentan como "
        "respuestas pero no usan código. La tasa puede superar el 100 % si responden más "
        "personas de las que se contaron como invitadas.",
    },
    # -- paper responses ------------------------------------------------------------------------
    "admin.paper.title": {"en": "Paper responses", "es": "Respuestas en papel"},
    "admin.paper.lead": {
        "en": "For staff who answered on paper: type the forms into a CSV file and import it "
        "while the round is open. The whole file is checked first and imported all or nothing; "
        "imported responses are marked as paper and join the results when the round closes. "
        "A unit takes at most as many forms as it has people invited, less the answers already "
        "received, and every import is written to the audit log.",
        "es": "Para el personal que respondió en papel: pasa los formularios a un archivo CSV "
        "e impórtalo mientras la ronda esté abierta. Primero se revisa el archivo entero y se "
        "importa todo o nada; las respuestas importadas quedan marcadas como en papel y se "
        "suman a los resultados cuando la ronda se cierra. Una unidad admite como mucho tantos "
        "formularios como personas invitadas tiene, menos las respuestas ya recibidas, y cada "
        "importación queda registrada en el registro de auditoría.",
    },
    "admin.paper.no_round": {
        "en": "Paper responses can be imported only while a round is open, and no round is "
        "open now.",
        "es": "Las respuestas en papel solo se pueden importar mientras una ronda está abierta, "
        "y ahora no hay ninguna abierta.",
    },
    "admin.paper.step1": {
        "en": "1. Download the blank template",
        "es": "1. Descarga la plantilla en blanco",
    },
    "admin.paper.template_help": {
        "en": "One line per paper form. `unit`: the unit's code ({units}). `role` (optional): "
        "one of {roles}, or empty for “prefer not to say”. `language` (optional): {languages}. "
        "One column per item: the point chosen, `{na}` for “not applicable / unable to rate”, "
        "or empty for a skipped item.",
        "es": "Una línea por formulario en papel. `unit`: el código de la unidad ({units}). "
        "`role` (opcional): uno de {roles}, o vacío para «prefiero no decirlo». `language` "
        "(opcional): {languages}. Una columna por ítem: el punto elegido, `{na}` para «no "
        "aplica / no puedo valorarlo», o vacío si se dejó sin responder.",
    },
    "admin.paper.template": {
        "en": "⬇️ Download blank CSV template",
        "es": "⬇️ Descargar plantilla CSV en blanco",
    },
    "admin.paper.step2": {
        "en": "2. Upload the filled-in file",
        "es": "2. Sube el archivo rellenado",
    },
    "admin.paper.file": {"en": "Filled-in CSV file", "es": "Archivo CSV rellenado"},
    "admin.paper.import": {"en": "Import responses", "es": "Importar respuestas"},
    "admin.paper.imported.one": {
        "en": "{n} paper response imported from {file} ({units}).",
        "es": "Se ha importado {n} respuesta en papel desde {file} ({units}).",
    },
    "admin.paper.imported.other": {
        "en": "{n} paper responses imported from {file} ({units}).",
        "es": "Se han importado {n} respuestas en papel desde {file} ({units}).",
    },
    # -- audit log ------------------------------------------------------------------------------
    "admin.audit.title": {"en": "Audit log", "es": "Registro de actividad"},
    "admin.audit.lead": {
        "en": "Who did what, and when: changes to units, users and rounds, codes and links "
        "issued, paper imports and sign-ins. What staff do in a survey is never recorded.",
        "es": "Quién hizo qué y cuándo: cambios en unidades, usuarios y rondas, códigos y "
        "enlaces generados, importaciones en papel e inicios de sesión. Lo que hace el "
        "personal en una encuesta nunca se registra.",
    },
    "admin.audit.limit": {"en": "Show the latest", "es": "Mostrar los últimos"},
    "admin.audit.empty": {
        "en": "Nothing has been recorded yet.",
        "es": "Todavía no se ha registrado nada.",
    },
    "admin.audit.col.time": {"en": "Time", "es": "Fecha y hora"},
    "admin.audit.col.user": {"en": "User", "es": "Usuario"},
    "admin.audit.col.action": {"en": "Action", "es": "Acción"},
    "admin.audit.col.target": {"en": "Target", "es": "Sobre qué"},
    "admin.audit.col.detail": {"en": "Detail", "es": "Detalle"},
    "admin.audit.cli": {"en": "command line", "es": "línea de comandos"},
    "admin.audit.count": {
        "en": "{n} events shown, newest first.",
        "es": "{n} eventos mostrados, del más reciente al más antiguo.",
    },
    "admin.audit.action.unit.add": {"en": "Unit added", "es": "Unidad añadida"},
    "admin.audit.action.unit.rename": {"en": "Unit renamed", "es": "Unidad renombrada"},
    "admin.audit.action.unit.move": {"en": "Unit moved", "es": "Unidad movida"},
    "admin.audit.action.units.import": {"en": "Units imported", "es": "Unidades importadas"},
    "admin.audit.action.user.add": {"en": "User added", "es": "Usuario añadido"},
    "admin.audit.action.user.disable": {"en": "User disabled", "es": "Usuario desactivado"},
    "admin.audit.action.user.enable": {"en": "User enabled", "es": "Usuario activado"},
    "admin.audit.action.user.scope": {
        "en": "Manager's units changed",
        "es": "Unidades de responsable cambiadas",
    },
    "admin.audit.action.user.signin": {"en": "Signed in", "es": "Inicio de sesión"},
    "admin.audit.action.user.signin_failed": {
        "en": "Sign-in failed",
        "es": "Inicio de sesión fallido",
    },
    "admin.audit.action.user.locked": {
        "en": "Account locked",
        "es": "Cuenta bloqueada",
    },
    "admin.audit.action.round.create": {"en": "Round created", "es": "Ronda creada"},
    "admin.audit.action.round.invited": {
        "en": "Invited counts changed",
        "es": "Personas invitadas cambiadas",
    },
    "admin.audit.action.round.open": {"en": "Round launched", "es": "Ronda lanzada"},
    "admin.audit.action.round.close": {"en": "Round closed", "es": "Ronda cerrada"},
    "admin.audit.action.round.publish": {"en": "Round published", "es": "Ronda publicada"},
    "admin.audit.action.codes.issue": {"en": "Access codes issued", "es": "Códigos generados"},
    "admin.audit.action.link.create": {"en": "Unit link created", "es": "Enlace de unidad creado"},
    "admin.audit.action.responses.import": {
        "en": "Paper responses imported",
        "es": "Respuestas en papel importadas",
    },
    "admin.audit.action.responses.export": {
        "en": "Responses exported",
        "es": "Respuestas exportadas",
    },
    "admin.audit.action.round.dates": {
        "en": "Round dates changed",
        "es": "Fechas de ronda cambiadas",
    },
    "admin.audit.action.action.create": {"en": "Action added", "es": "Acción añadida"},
    "admin.audit.action.action.update": {"en": "Action changed", "es": "Acción modificada"},
    "admin.audit.action.action.delete": {"en": "Action deleted", "es": "Acción eliminada"},
    "admin.audit.action.user.unlock": {
        "en": "Sign-in delay lifted",
        "es": "Espera de acceso levantada",
    },
    "admin.audit.action.user.password_changed": {
        "en": "Password changed",
        "es": "Contraseña cambiada",
    },
    "admin.audit.action.user.password_reset": {
        "en": "Password reset",
        "es": "Contraseña restablecida",
    },
    # -- the new-round form: every problem at once ---------------------------------------------
    "admin.rounds.problems": {
        "en": "The round was not created. Please fix:",
        "es": "No se ha creado la ronda. Corrige:",
    },
    "admin.rounds.problem.name": {
        "en": "Name: give the round a name (e.g. Spring 2027).",
        "es": "Nombre: pon un nombre a la ronda (p. ej. Primavera 2027).",
    },
    "admin.rounds.problem.languages": {
        "en": "Languages: choose at least one language.",
        "es": "Idiomas: elige al menos un idioma.",
    },
    "admin.rounds.problem.date": {
        "en": "{field}: choose a date.",
        "es": "{field}: elige una fecha.",
    },
    "admin.rounds.problem.dates_order": {
        "en": "Closing date: the closing date is before the opening date.",
        "es": "Fecha de cierre: la fecha de cierre es anterior a la de apertura.",
    },
    "admin.rounds.problem.units": {
        "en": "Units: choose at least one unit for the round (give it a number of people "
        "invited).",
        "es": "Unidades: elige al menos una unidad para la ronda (indica cuántas personas "
        "invita).",
    },
    "admin.rounds.problem.comment_k": {
        "en": "Minimum group for comments: at least the minimum group size ({k}).",
        "es": "Mínimo de personas para comentarios: al menos el tamaño mínimo de grupo ({k}).",
    },
    # -- codes for every invited unit, the survey's address, the paper questionnaire ----------
    "admin.access.all_units_title": {
        "en": "Every invited unit at once",
        "es": "Todas las unidades invitadas a la vez",
    },
    "admin.access.all_units_help": {
        "en": "One code for each invited person who has none yet, in every unit with people "
        "invited. To issue now: {n} codes for {units} units.",
        "es": "Un código por cada persona invitada que aún no tiene uno, en todas las unidades "
        "con personas invitadas. Por generar ahora: {n} códigos para {units} unidades.",
    },
    "admin.access.all_units_none": {
        "en": "Every invited unit already has a code for each person invited. To hand out "
        "more, issue them for one unit above.",
        "es": "Todas las unidades invitadas ya tienen un código por persona invitada. Para "
        "repartir más, genéralos para una unidad arriba.",
    },
    "admin.access.issue_all": {
        "en": "Issue codes for every invited unit",
        "es": "Generar códigos para todas las unidades invitadas",
    },
    "admin.access.issued_all.one": {
        "en": "{n} code issued for {units} unit ({round}).",
        "es": "Se ha generado {n} código para {units} unidad ({round}).",
    },
    "admin.access.issued_all.other": {
        "en": "{n} codes issued for {units} units ({round}), unit after unit.",
        "es": "Se han generado {n} códigos para {units} unidades ({round}), unidad por unidad.",
    },
    "admin.access.bad_address": {
        "en": "The app's web address (TISA_PUBLIC_URL) cannot be printed on slips or links: "
        "{problem}. Ask whoever runs tisa to set it to the address staff open, such as "
        "https://tisa.example.org.",
        "es": "La dirección web de la aplicación (TISA_PUBLIC_URL) no se puede imprimir en "
        "papeletas ni enlaces: {problem}. Pide a quien administra tisa que la configure con la "
        "dirección que abre el personal, por ejemplo https://tisa.example.org.",
    },
    "admin.access.mail_merge_note": {
        "en": "The CSV has each code's survey link, ready for a mail merge. A mail merge sends "
        "each code to a named person, so whoever runs it or keeps the messages knows who got "
        "which code; slips handed out at random leave no such list.",
        "es": "El CSV trae el enlace a la encuesta de cada código, listo para una combinación "
        "de correspondencia. Esa combinación envía cada código a una persona con nombre, así "
        "que quien la hace o guarda los mensajes sabe quién recibió cada código; las papeletas "
        "repartidas al azar no dejan esa lista.",
    },
    "admin.paper.forms_title": {
        "en": "Printable questionnaire",
        "es": "Cuestionario para imprimir",
    },
    "admin.paper.forms_help": {
        "en": "For staff who answer on paper. Each statement carries its item code, the "
        "column of the CSV template below, so the forms are typed in as they are.",
        "es": "Para el personal que responde en papel. Cada afirmación lleva su código de "
        "ítem, la columna de la plantilla CSV de abajo, así que los formularios se transcriben "
        "tal cual.",
    },
    "admin.paper.form_download": {
        "en": "🖨️ Questionnaire in {language} (PDF)",
        "es": "🖨️ Cuestionario en {language} (PDF)",
    },
    "admin.paper.na_help": {
        "en": "For “not applicable”, `NA`, `N/A` and the questionnaire's own words ({labels}) "
        "are all accepted, in any case.",
        "es": "Para «no aplica» se aceptan `NA`, `N/A` y las palabras del propio cuestionario "
        "({labels}), en mayúsculas o minúsculas.",
    },
}
