import type { ContentNode } from "#app/editor/content";

/**
 * The draft Samråd is seeded with: a first version (0.1) of a guidance on open licences and
 * intellectual property for public agencies, as PRV and Digg could have put it before the network
 * at the workshop of 1 September 2020. The text is original to this project.
 */
export const SEED_DOCUMENT = {
  slug: "vagledning-oppna-licenser",
  title: "Vägledning om öppna licenser och immaterialrätt",
  language: "sv",
} as const;

type Mark = NonNullable<ContentNode["marks"]>[number];

/** Inline markup used below: **fet**, *kursiv* and [länktext](https://…). Nothing else is interpreted. */
const INLINE = /\*\*(.+?)\*\*|\*(.+?)\*|\[(.+?)\]\((https?:\/\/[^)\s]+)\)/g;

function textNode(text: string, marks?: Mark[]): ContentNode {
  return marks && marks.length > 0 ? { type: "text", text, marks } : { type: "text", text };
}

function inline(source: string): ContentNode[] {
  const nodes: ContentNode[] = [];
  let last = 0;
  for (const match of source.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) nodes.push(textNode(source.slice(last, index)));
    const [, bold, italic, linkText, href] = match;
    if (bold !== undefined) nodes.push(textNode(bold, [{ type: "bold" }]));
    else if (italic !== undefined) nodes.push(textNode(italic, [{ type: "italic" }]));
    else if (linkText !== undefined && href !== undefined) {
      nodes.push(
        textNode(linkText, [
          {
            type: "link",
            attrs: { href, target: "_blank", rel: "noopener noreferrer nofollow", class: null, title: null },
          },
        ]),
      );
    }
    last = index + match[0].length;
  }
  if (last < source.length) nodes.push(textNode(source.slice(last)));
  return nodes;
}

/** Builds the seed draft as ProseMirror JSON; every block gets `attrs.id = newId()`, in document order. */
export function buildSeedDraft(newId: () => string): ContentNode {
  const heading = (level: 1 | 2 | 3, text: string): ContentNode => ({
    type: "heading",
    attrs: { id: newId(), level },
    content: inline(text),
  });
  const p = (text: string): ContentNode => ({ type: "paragraph", attrs: { id: newId() }, content: inline(text) });
  const item = (text: string): ContentNode => ({ type: "listItem", attrs: { id: newId() }, content: [p(text)] });
  const bullets = (...items: string[]): ContentNode => ({ type: "bulletList", content: items.map(item) });
  const steps = (...items: string[]): ContentNode => ({
    type: "orderedList",
    attrs: { start: 1, type: null },
    content: items.map(item),
  });
  const quote = (...paragraphs: string[]): ContentNode => ({
    type: "blockquote",
    attrs: { id: newId() },
    content: paragraphs.map(p),
  });

  return {
    type: "doc",
    content: [
      heading(1, "Vägledning om öppna licenser och immaterialrätt"),
      p(
        "*Utkast, version 0.1. Patent- och registreringsverket (PRV) och Myndigheten för digital förvaltning (Digg), september 2020.*",
      ),
      quote(
        "Det här är ett första utkast som PRV och Digg lägger fram för nätverket för öppen programvara och öppna data i offentlig sektor. Texten är inte beslutad och uttrycker ännu inte någon av myndigheternas ståndpunkt. Vi tar gärna emot synpunkter på varje avsnitt, både på sakinnehållet och på om vägledningen går att använda i praktiken.",
      ),

      heading(2, "1. Om vägledningen"),
      p(
        "Många myndigheter vill dela sina rapporter, bilder, data och program så att andra kan använda dem, men är osäkra på vad de får och bör göra. Immaterialrätten uppfattas ofta som ett hinder, när den i själva verket är det verktyg som gör det möjligt att ge andra tydliga och varaktiga rättigheter. Vägledningen ska göra det lättare att fatta välgrundade beslut om öppna licenser.",
      ),
      p(
        "Vägledningen riktar sig i första hand till statliga myndigheter, men den kan också användas av kommuner, regioner och andra offentliga aktörer. Den är skriven för dem som beslutar om och hanterar myndighetens material: verksamhetsansvariga, kommunikatörer, jurister, utvecklare, upphandlare och den som ansvarar för öppna data.",
      ),
      p(
        "Vi skiljer genomgående mellan vad som följer av lag och vad som är PRV:s och Diggs rekommendationer. Där vi skriver att myndigheten **bör** göra något, eller att vi rekommenderar något, är det ett råd och inte ett rättsligt krav. Varje myndighet ansvarar själv för sina beslut och behöver göra sina egna bedömningar utifrån sitt uppdrag och sitt material.",
      ),
      p(
        "Vägledningen behandlar upphovsrätt, databasskydd, varumärken och avtal. Den behandlar inte sekretess, skydd av personuppgifter eller informationssäkerhet annat än där de påverkar valet av licens. Sådana frågor måste alltid vara utredda innan material görs tillgängligt.",
      ),

      heading(2, "2. Varför myndigheter bör licensiera öppet"),
      p(
        "Genom offentlighetsprincipen har var och en rätt att ta del av allmänna handlingar enligt 2 kap. tryckfrihetsförordningen. Rätten att ta del av en handling säger däremot inget om vad mottagaren sedan får göra med innehållet. Om handlingen innehåller ett upphovsrättsligt skyddat verk gäller skyddet även efter att handlingen har lämnats ut.",
      ),
      p(
        "Den som vill återanvända myndighetens material, till exempel i en tjänst, en lärobok eller en forskningsstudie, måste därför i dag ofta fråga om lov. Osäkerheten leder till att material inte används alls, eller till att varje myndighet får hantera ett stort antal enskilda förfrågningar. En öppen licens ger samma besked till alla, i förväg och utan att någon behöver fråga.",
      ),
      p(
        "Lagen (2010:566) om vidareutnyttjande av handlingar från den allmänna förvaltningen, ofta kallad PSI-lagen, bygger på EU:s regler om vidareutnyttjande av information från den offentliga sektorn. Lagen innebär inte i sig en skyldighet att tillåta vidareutnyttjande, men den ställer krav på hur villkoren utformas när en myndighet tillåter det: de ska vara icke-diskriminerande och inte begränsa möjligheterna i onödan.",
      ),
      p(
        "Europaparlamentets och rådets direktiv (EU) 2019/1024 om öppna data och vidareutnyttjande av information från den offentliga sektorn ersätter det tidigare PSI-direktivet och ska vara genomfört i svensk rätt senast den 17 juli 2021. Direktivet utvidgar reglerna bland annat till dynamiska data och vissa forskningsdata, och inför särskilda **värdefulla datamängder** som ska kunna vidareutnyttjas avgiftsfritt, i maskinläsbart format och via API. Direktivet uppmuntrar också användningen av öppna standardlicenser.",
      ),
      p("Skälen för att licensiera öppet kan sammanfattas så här:"),
      bullets(
        "Material som redan har finansierats med allmänna medel kan användas igen, av fler och för fler ändamål.",
        "Företag, forskare, civilsamhälle och andra myndigheter kan bygga nya tjänster och analyser utan att först förhandla om rättigheter.",
        "Myndigheten slipper hantera enskilda förfrågningar om tillstånd och kan hänvisa till en licens som redan är känd.",
        "Öppenheten stärker insynen i den offentliga verksamheten och förtroendet för den.",
        "Myndigheter kan samarbeta kring gemensamt material och gemensam programvara på lika villkor.",
      ),
      p(
        "Vi rekommenderar därför att myndigheter som huvudregel tillgängliggör sitt material under en öppen licens, eller avstår från sina rättigheter, om inte sekretess, skyddet för personuppgifter eller andras rättigheter hindrar det. Ett sådant ställningstagande bör fattas som ett beslut i myndighetens ledning, så att det blir tydligt för både medarbetare och omvärld.",
      ),

      heading(2, "3. Upphovsrätt i myndigheters material"),
      p(
        "Enligt lagen (1960:729) om upphovsrätt till litterära och konstnärliga verk, upphovsrättslagen, uppstår upphovsrätt automatiskt när någon skapar ett verk som är tillräckligt originellt. Det krävs ingen registrering och ingen märkning. Skyddet gäller i regel till 70 år efter upphovspersonens död. Rapporter, webbtexter, fotografier, illustrationer, filmer, kartor och datorprogram som en myndighet tar fram är därför ofta skyddade.",
      ),
      p(
        "Upphovsrätten består av en ekonomisk del, ensamrätten att framställa exemplar av verket och göra det tillgängligt för allmänheten, och en ideell del. Den ideella rätten innebär att upphovspersonen ska anges i den omfattning och på det sätt som god sed kräver, och att verket inte får ändras eller användas på ett sätt som är kränkande för upphovspersonen. Den ideella rätten kan inte överlåtas och kan bara efterges i begränsad omfattning.",
      ),
      p(
        "I 9 § upphovsrättslagen finns ett viktigt undantag. Upphovsrätt gäller inte för författningar, beslut av myndigheter, yttranden av svenska myndigheter och officiella översättningar av sådana texter. En föreskrift, ett beslut eller ett remissyttrande får därför användas fritt av vem som helst, och myndigheten behöver inte licensiera dessa texter.",
      ),
      p(
        "Undantaget är snävare än många tror. Det omfattar inte vägledningar, rapporter, utredningar, informationsmaterial eller webbplatser i allmänhet, och vissa slag av verk som ingår i de undantagna handlingarna, till exempel kartor och konstnärliga verk, är fortfarande skyddade. Den som är osäker på om en text omfattas av 9 § bör utgå från att den är skyddad och i stället licensiera den öppet.",
      ),
      p(
        "Fotografier som inte uppfyller kraven på originalitet skyddas ändå som fotografiska bilder enligt 49 a § upphovsrättslagen. Skyddet gäller till dess att 50 år har gått efter utgången av det år då bilden framställdes. I praktiken behöver myndigheten därför hantera rättigheterna till alla bilder den publicerar.",
      ),
      heading(3, "Verk som skapas av anställda"),
      p(
        "För datorprogram som en anställd skapar som ett led i sina arbetsuppgifter, eller efter instruktioner från arbetsgivaren, övergår upphovsrätten till arbetsgivaren enligt 40 a § upphovsrättslagen, om inte annat har avtalats. Källkod som myndighetens egna utvecklare skriver i tjänsten förfogar alltså myndigheten över.",
      ),
      p(
        "För andra slag av verk finns ingen motsvarande regel i lagen. Det anses allmänt att arbetsgivaren får de rättigheter som behövs för den normala verksamheten, men hur långt den rätten sträcker sig är inte helt klart, och det är inte självklart att den omfattar rätten att licensiera materialet öppet till alla. Vi rekommenderar att myndigheten klargör frågan i anställningsavtal eller i en intern riktlinje.",
      ),
      p(
        "Myndigheten kan bara licensiera det den själv har rätt till. Material som konsulter, fotografer, bildbyråer eller andra myndigheter har tagit fram kan omfattas av villkor som hindrar en öppen licens. Sådant material behöver identifieras och antingen undantas från licensen eller förses med de rättigheter som krävs.",
      ),

      heading(2, "4. Att välja mellan CC0 och CC BY 4.0"),
      p(
        "Creative Commons-licenserna är standardiserade, internationellt spridda och väl kända av dem som återanvänder material. Vi rekommenderar att myndigheter använder dem för texter, bilder, film och data, och att de använder den senaste versionen, 4.0, som är anpassad för att fungera i olika länders rättsordningar och som uttryckligen omfattar databasrättigheter.",
      ),
      p(
        "**CC0 1.0** är inte en licens i egentlig mening utan ett avstående. Rättighetshavaren avstår från sina rättigheter i den utsträckning lagen tillåter och ger, där ett fullständigt avstående inte är möjligt, en licens utan villkor. Eftersom den ideella rätten inte kan avstås helt enligt svensk rätt gäller den fortfarande för upphovspersonen, men i praktiken kan materialet användas utan några villkor alls.",
      ),
      p(
        "**CC BY 4.0**, på svenska Creative Commons Erkännande 4.0 Internationell, tillåter att materialet kopieras, sprids, bearbetas och används för alla ändamål, även kommersiella, under förutsättning att användaren lämnar ett erkännande. Erkännandet ska ange upphovsperson eller rättighetshavare, hänvisa till licensen, ange om materialet har ändrats och, om det är rimligt, länka till källan. Det får göras på varje sätt som är skäligt med hänsyn till hur materialet används.",
      ),
      p("Som utgångspunkt rekommenderar vi följande:"),
      bullets(
        "Välj CC0 för data, metadata och annat material där många källor kombineras och där krav på erkännande blir svåra att uppfylla.",
        "Välj CC0 för material som är tänkt att byggas in i andra verk i stor skala, till exempel ikoner, vokabulärer och kodlistor.",
        "Välj CC BY 4.0 för rapporter, vägledningar, bilder och film där det är viktigt att läsaren kan se att materialet kommer från myndigheten.",
        "Välj CC BY 4.0 när myndigheten själv har fått materialet under villkor om erkännande och inte kan ge ut det mer generöst.",
      ),
      p(
        "Vi avråder från licenser med villkoren **icke-kommersiell** (NC) och **inga bearbetningar** (ND) för offentligt material. Gränsen för vad som är kommersiellt är oklar, villkoret stänger ute företag och ideella organisationer med viss intäktsverksamhet, och det är svårt att förena med principen om icke-diskriminerande villkor. Förbud mot bearbetningar hindrar översättningar, tillgänglighetsanpassningar och sammanställningar med annat material.",
      ),
      p(
        "Även villkoret dela lika (SA) bör i regel undvikas för myndigheters material, eftersom det begränsar möjligheterna att kombinera materialet med material under andra licenser. För programvara gäller andra överväganden, se avsnitt 6.",
      ),
      p(
        "Myndigheter bör inte formulera egna licensvillkor. Egna villkor är svåra att tolka, skiljer sig mellan myndigheter och gör det osäkert om material från olika källor får kombineras. Den som vill ställa ett villkor som standardlicenserna saknar bör först pröva om villkoret verkligen behövs.",
      ),
      p(
        "En Creative Commons-licens kan inte återkallas för den som redan har fått materialet. Myndigheten kan sluta sprida materialet, men de som har hämtat det får fortsätta använda det enligt licensen. Rättigheterna behöver därför vara utredda innan materialet publiceras.",
      ),

      heading(2, "5. Databaser och sammanställningar"),
      p(
        "Enskilda uppgifter och fakta skyddas inte av upphovsrätt. En samling av uppgifter kan däremot vara skyddad på två sätt. Om urvalet eller ordningen av innehållet är originellt kan samlingen vara skyddad som samlingsverk enligt 5 § upphovsrättslagen. Oftare är det i stället det så kallade **katalogskyddet** i 49 § som blir aktuellt.",
      ),
      p(
        "Katalogskyddet gäller för sammanställningar som innehåller ett stort antal uppgifter eller som är resultatet av en väsentlig investering. Det ger den som har framställt sammanställningen ensamrätt att framställa exemplar av hela eller väsentliga delar av den och att göra dem tillgängliga för allmänheten. Skyddet gäller till dess att 15 år har gått efter utgången av det år då sammanställningen framställdes eller, om den offentliggjordes inom den tiden, det år då den offentliggjordes. Enligt databasdirektivet kan en väsentlig ändring av innehållet ge upphov till en ny skyddstid. Regeln motsvarar den särskilda rättighet, sui generis-rätten, som infördes genom EU:s databasdirektiv 96/9/EG.",
      ),
      p(
        "Många myndighetsregister och datamängder uppfyller kraven för katalogskydd. Den licens som myndigheten väljer måste därför omfatta även denna rättighet, annars blir det oklart om datamängden som helhet får användas. CC0 1.0 och CC BY 4.0 omfattar båda databasrättigheter, vilket äldre versioner av Creative Commons-licenserna inte alltid gör.",
      ),
      p(
        "Enligt direktivet om öppna data får offentliga myndigheter inte använda databasrätten för att hindra vidareutnyttjande eller begränsa det utöver vad direktivet tillåter. Vi rekommenderar att myndigheten redan nu utgår från detta när den beslutar om villkor för sina datamängder.",
      ),
      p(
        "En öppen licens ändrar ingenting i dataskyddsförordningens krav. Innehåller en datamängd personuppgifter ska det först prövas om uppgifterna alls får lämnas ut och publiceras. Licensen avgör bara vad mottagaren får göra i upphovsrättsligt hänseende.",
      ),

      heading(2, "6. Licenser för programvara och öppen källkod"),
      p(
        "Datorprogram skyddas som litterära verk enligt upphovsrättslagen. För att andra ska kunna använda, ändra och sprida en myndighets källkod behöver koden förses med en licens. Creative Commons-licenserna är inte utformade för programvara, och vi rekommenderar att myndigheter i stället använder licenser som är godkända som öppen källkod, till exempel av Open Source Initiative.",
      ),
      p(
        "Licenserna för öppen källkod brukar delas in i två grupper. **Tillåtande licenser**, som MIT och Apache 2.0, låter vem som helst bygga in koden i egna produkter, även slutna, så länge licenstext och upphovsrättsnotiser följer med. Apache 2.0 innehåller dessutom en uttrycklig patentlicens från dem som bidrar med kod.",
      ),
      p(
        "**Copyleft-licenser**, som GNU GPL och GNU AGPL, kräver att den som sprider en ändrad version av programmet gör det under samma licens och med tillgång till källkoden. På så sätt förblir vidareutvecklingar öppna. AGPL utsträcker kravet till program som görs tillgängliga för användare över ett nätverk.",
      ),
      p(
        "Europeiska unionens licens för öppen källkod, EUPL 1.2, är framtagen av Europeiska kommissionen. Den finns i officiella versioner på alla EU:s officiella språk, däribland svenska, med samma giltighet, och den är utformad för att fungera med unionsrätten och medlemsstaternas rätt. EUPL är en copyleft-licens som även omfattar att ett program görs tillgängligt över ett nätverk.",
      ),
      p(
        "EUPL 1.2 innehåller en bestämmelse om kompatibilitet. Om koden kombineras med kod under någon av de licenser som anges i licensens bilaga, bland annat GPL 2.0 och 3.0, AGPL 3.0, LGPL, MPL 2.0 och EPL 1.0, får det kombinerade verket spridas under den andra licensen. Det gör EUPL lättare att kombinera med annan öppen programvara än många andra copyleft-licenser.",
      ),
      p("Vi rekommenderar följande vid val av licens för programvara:"),
      bullets(
        "Använd EUPL 1.2 för myndighetens egna applikationer om det inte finns särskilda skäl att välja en annan licens.",
        "Använd MIT eller Apache 2.0 för mindre bibliotek och komponenter som ska kunna användas så brett som möjligt.",
        "Använd projektets befintliga licens när myndigheten bidrar till ett projekt som andra redan driver.",
        "Kontrollera att licenserna för de komponenter som koden bygger på är förenliga med den licens ni väljer.",
        "Ange licensen i en LICENSE-fil i kodförrådet och med en SPDX-identifierare, till exempel EUPL-1.2, i källkodsfilerna.",
      ),
      p(
        "Att använda öppen programvara internt medför i regel inga skyldigheter. Villkoren i licenserna blir aktuella när programmet sprids vidare, och för vissa licenser som AGPL och EUPL även när programmet görs tillgängligt över ett nätverk. Myndigheten bör ha en förteckning över de komponenter och licenser som ingår i de system den tillhandahåller.",
      ),

      heading(2, "7. Varumärken, namn och logotyper"),
      p(
        "En myndighets namn, logotyp och grafiska profil kan vara skyddade som varumärken enligt varumärkeslagen (2010:1877), och en logotyp kan dessutom vara skyddad av upphovsrätt. Statens vapen och vissa andra officiella beteckningar har ett särskilt skydd enligt lagen (1970:498) om skydd för vapen och vissa andra officiella beteckningar.",
      ),
      p(
        "Creative Commons-licenserna omfattar inte varumärken eller patent, vilket anges uttryckligen i licenstexterna. Att en rapport publiceras under CC BY 4.0 ger alltså inte någon rätt att använda myndighetens logotyp, och en logotyp som ingår i rapporten blir inte fri att använda för andra ändamål.",
      ),
      p(
        "Vi rekommenderar ändå att myndigheten skriver ut i sin licensupplysning att logotyper, namn och andra kännetecken inte omfattas av licensen. Det minskar risken för missförstånd hos både användare och medarbetare.",
      ),
      p(
        "Ett erkännande enligt CC BY 4.0 får inte ges så att det ser ut som om myndigheten står bakom användningen eller användaren. Den som gör en egen tjänst av myndighetens data ska ange varifrån datan kommer, men får inte presentera tjänsten som myndighetens.",
      ),
      p(
        "För programvara som myndigheten ger ut som öppen källkod är projektets namn ofta viktigt för att användare ska hitta rätt version. Myndigheten bör fundera på om namnet ska skyddas och hur andra får använda det, till exempel när de sprider ändrade versioner.",
      ),
      p(
        "Vi rekommenderar att myndigheten utformar sina mallar så att logotyper och annat material som inte ska licensieras hålls åtskilt från innehållet. Då kan texter och bilder återanvändas utan att någon behöver redigera bort kännetecken.",
      ),

      heading(2, "8. Så märker ni materialet"),
      p(
        "En licens fungerar bara om användaren kan se den. Varje publicerat verk bör därför ha en licensupplysning i nära anslutning till materialet, till exempel på rapportens omslag eller sista sida, i sidfoten på en webbsida eller i beskrivningen av en datamängd.",
      ),
      p("En licensupplysning bör innehålla:"),
      bullets(
        "vem som är rättighetshavare, det vill säga myndighetens namn,",
        "vilken licens som gäller, med licensens namn och förkortning,",
        "en länk till licenstexten, till exempel [creativecommons.org/licenses/by/4.0/deed.sv](https://creativecommons.org/licenses/by/4.0/deed.sv),",
        "vilka delar av materialet som inte omfattas av licensen, till exempel fotografier som myndigheten bara har begränsade rättigheter till.",
      ),
      p("Ett exempel på hur en licensupplysning i en rapport kan se ut:"),
      quote(
        "Text och diagram i denna rapport får användas enligt villkoren i Creative Commons Erkännande 4.0 Internationell (CC BY 4.0). Ange Patent- och registreringsverket som källa. Fotografier, logotyper och andra kännetecken omfattas inte av licensen.",
      ),
      p(
        "Material från andra, som myndigheten har fått rätt att använda men inte att licensiera vidare, bör märkas där det förekommer, till exempel i bildtexten. Det gör det möjligt för användare att återanvända resten av materialet.",
      ),
      p(
        "Licensen bör också gå att läsa för maskiner. På webbsidor kan licensen anges med en länk med attributet rel=\"license\". I bild- och dokumentfiler kan licensen anges i filens metadata. I kodförråd anges licensen i en LICENSE-fil och med SPDX-identifierare i varje källkodsfil.",
      ),
      p(
        "För öppna data bör licensen anges i de metadata som beskriver datamängden. Den svenska tillämpningsprofilen DCAT-AP-SE bygger på den europeiska specifikationen DCAT-AP och gör det möjligt att ange licensen för varje distribution av en datamängd. Metadata som följer profilen kan samlas in till den nationella dataportal som Digg förvaltar och därifrån vidare till den europeiska dataportalen.",
      ),
      p(
        "Ange licensen med dess vedertagna webbadress och inte med fritext. En adress som https://creativecommons.org/publicdomain/zero/1.0/ kan tolkas automatiskt av den som samlar in metadata, medan formuleringar som \"fri att använda\" måste tolkas av en människa och ofta blir oklara.",
      ),
      p(
        "Vi rekommenderar slutligen att myndigheten på sin webbplats beskriver vilka villkor som gäller för återanvändning av dess material i allmänhet och hänvisar till det beslut som ligger till grund för villkoren.",
      ),

      heading(2, "9. Upphandling och avtal"),
      p(
        "När en leverantör tar fram en rapport, en bild, en datamängd eller ett program på uppdrag av myndigheten har leverantören, eller dess anställda, upphovsrätten om inget annat avtalas. Utan tydliga avtalsvillkor får myndigheten ofta bara rätt att använda resultatet för det ändamål som uppdraget avsåg, och inte rätt att licensiera det öppet.",
      ),
      p(
        "Frågan behöver därför hanteras redan i upphandlingsdokumenten. Myndigheten kan antingen kräva att rättigheterna överlåts eller att leverantören ger en licens som är tillräckligt omfattande. En licens bör i så fall ge myndigheten rätt att ändra resultatet, att upplåta rättigheter till tredje man och att ge ut resultatet under en öppen licens som myndigheten väljer.",
      ),
      p("Vi rekommenderar att avtalet reglerar åtminstone följande:"),
      bullets(
        "att myndigheten får ge ut resultatet under en angiven öppen licens, till exempel CC BY 4.0 eller EUPL 1.2,",
        "att källkod levereras tillsammans med de program som tas fram, i redigerbar form och med dokumentation,",
        "vilket material leverantören redan hade före uppdraget, så kallat bakgrundsmaterial, och på vilka villkor det får användas,",
        "vilka komponenter från tredje part som ingår och under vilka licenser de finns,",
        "att leverantören ansvarar för att leveransen inte gör intrång i andras rättigheter.",
      ),
      p(
        "Ett krav på att resultatet ska kunna licensieras öppet gäller de rättigheter myndigheten köper och inte ett visst fabrikat. Kravet behöver, som alla krav enligt lagen (2016:1145) om offentlig upphandling, vara proportionerligt och formulerat så att det inte diskriminerar leverantörer.",
      ),
      p(
        "Många myndigheter köper konsulttjänster och programvara genom ramavtal från Statens inköpscentral vid Kammarkollegiet. Villkoren om immateriella rättigheter framgår då av ramavtalets allmänna villkor. Myndigheten bör kontrollera vad villkoren innebär för möjligheten att licensiera resultatet öppet och, där ramavtalet tillåter det, precisera sina krav vid avropet, till exempel vid en förnyad konkurrensutsättning.",
      ),
      p(
        "Samma frågor uppstår när myndigheten ger bidrag eller finansierar projekt hos andra. Vi rekommenderar att villkor om öppna licenser för resultaten tas med i besluten om bidrag där det är förenligt med bidragets syfte.",
      ),

      heading(2, "10. Checklista"),
      p("Följande steg kan hjälpa myndigheten att komma igång. Ordningen är en rekommendation, inte ett krav."),
      steps(
        "Fatta ett beslut i ledningen om att myndighetens material som huvudregel ska tillgängliggöras under öppna licenser.",
        "Utse en funktion som ansvarar för frågor om licenser och som medarbetarna kan vända sig till.",
        "Inventera vilka slag av material myndigheten publicerar: texter, bilder, film, datamängder och programvara.",
        "Ta reda på vem som har rättigheterna till materialet, och särskilt vad som har tagits fram av leverantörer eller andra.",
        "Välj licens för varje slag av material: CC0 eller CC BY 4.0 för innehåll och data, EUPL 1.2 eller en annan öppen källkodslicens för programvara.",
        "Pröva om materialet innehåller uppgifter som omfattas av sekretess eller personuppgifter som inte får publiceras.",
        "Märk materialet med en licensupplysning som även går att läsa för maskiner, och beskriv datamängder enligt DCAT-AP-SE.",
        "Håll isär logotyper och andra kännetecken från det licensierade innehållet i mallar och publikationer.",
        "Inför villkor om rättigheter och öppna licenser i upphandlingsdokument, avrop och bidragsbeslut.",
        "Beskriv villkoren för återanvändning på myndighetens webbplats och följ upp hur materialet används.",
      ),

      heading(2, "11. Fortsatt arbete och synpunkter på utkastet"),
      p(
        "Utkastet har tagits fram av PRV och Digg i ett gemensamt projekt som inleddes under våren 2020, efter en workshop där många myndigheter beskrev ett behov av vägledning. Det presenteras för nätverket vid höstens första workshop den 1 september 2020.",
      ),
      p(
        "Vi vill särskilt ha synpunkter på om rekommendationerna om val av licens är tillräckligt tydliga, om det finns situationer som vägledningen inte tar upp, och om exemplen går att använda i den egna verksamheten. Synpunkter på enskilda formuleringar är också välkomna.",
      ),
      p(
        "Kommentera gärna direkt på det stycke som synpunkten gäller. Redaktörerna går igenom alla synpunkter, redovisar hur de har hanterats och publicerar en ny version av utkastet inför nätverkets kommande träffar.",
      ),
    ],
  };
}
