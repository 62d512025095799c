/** Deterministic synthetic texts on neutral topics (weather, football, cooking, markets). Nothing else. */

export function prng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS: Record<'eng' | 'arb' | 'fra', string[]> = {
  eng: [
    'The weather in the valley stays mild this week with light rain expected on Thursday afternoon',
    'Our local football club won the match after a late goal and the supporters sang until the evening',
    'Today we share a simple recipe for lentil soup with lemon cumin and fresh bread from the bakery',
    'Vegetable prices at the central market fell slightly as the harvest season brings more tomatoes',
    'Farmers in the northern district report that the new irrigation channels are working well',
    'The youth team trains every morning at the stadium and the coach is pleased with their progress',
    'A warm wind from the south will raise temperatures over the weekend so keep plenty of water',
    'Bakers recommend letting the dough rest overnight for a lighter and more flavourful loaf',
  ],
  arb: [
    'الطقس في الوادي معتدل هذا الأسبوع مع أمطار خفيفة متوقعة يوم الخميس بعد الظهر',
    'فاز النادي المحلي لكرة القدم في المباراة بعد هدف متأخر واحتفل المشجعون حتى المساء',
    'نشارك اليوم وصفة بسيطة لشوربة العدس مع الليمون والكمون والخبز الطازج من المخبز',
    'انخفضت أسعار الخضار في السوق المركزي قليلاً مع موسم الحصاد ووفرة الطماطم',
    'يقول المزارعون في المنطقة الشمالية إن قنوات الري الجديدة تعمل بشكل جيد',
    'يتدرب فريق الشباب كل صباح في الملعب والمدرب راضٍ عن تقدم اللاعبين',
    'ستهب رياح دافئة من الجنوب وترتفع درجات الحرارة في عطلة نهاية الأسبوع',
    'يَنصَحُ الخَبّازونَ بِتَركِ العَجينِ يَرتاحُ طوالَ اللَّيلِ للحُصولِ على خُبزٍ أَخَفّ',
  ],
  fra: [
    'Le temps dans la vallée reste doux cette semaine avec une pluie légère attendue jeudi après-midi',
    'Le club de football local a gagné le match grâce à un but tardif et les supporters ont chanté',
    'Aujourd’hui nous partageons une recette simple de soupe aux lentilles avec du citron et du cumin',
    'Les prix des légumes au marché central ont légèrement baissé avec la saison des récoltes',
    'Les agriculteurs du district nord disent que les nouveaux canaux d’irrigation fonctionnent bien',
    'L’équipe des jeunes s’entraîne chaque matin au stade et l’entraîneur est content de leurs progrès',
    'Un vent chaud du sud fera monter les températures ce week-end alors gardez de l’eau',
    'Les boulangers conseillent de laisser reposer la pâte toute la nuit pour un pain plus léger',
  ],
};
const TAGS = ['weather', 'football', 'cooking', 'market', 'harvest'];

export function generateText(lang: 'eng' | 'arb' | 'fra', seed: number): string {
  const rnd = prng(seed);
  const pool = WORDS[lang];
  const n = 1 + Math.floor(rnd() * 2);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(pool[Math.floor(rnd() * pool.length)] as string);
  let text = parts.join('. ');
  if (lang === 'arb' && rnd() < 0.3) text = text.replace('الطقس', 'الطـــقس'); // tatweel, as real posts have
  if (rnd() < 0.4) text += ` #${TAGS[Math.floor(rnd() * TAGS.length)]}`;
  return text;
}
